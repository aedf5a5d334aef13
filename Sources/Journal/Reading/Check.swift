import Foundation
import JournalModel

/// What `rapport check` found.
public struct CheckReport: Sendable {
    public let problems: [FileProblem]
    public let people: Int
    public let entries: Int
    public let openItems: Int
    /// Encrypted entries this machine has no identity to open: not checked, and not problems.
    public let locked: [FileProblem]
}

extension Journal.Reader {
    /// Checks every file against the contract: each parses, entry file names match their front
    /// matter, ids are unique, named people exist, categories are configured, `due:` days are real.
    public func check() -> CheckReport {
        var problems: [FileProblem] = []
        switch NoFollow.read(JournalConfig.path, under: journal.root) {
        case .bytes(let data):
            do { _ = try JournalConfig.parse(data) } catch { problems.append(error) }
        case .absent:
            problems.append(FileProblem(path: JournalConfig.path, line: 1, message: "missing", hint: .createSettings))
        case .refused:
            break  // a link: reported with every other link below
        }
        for link in journal.symbolicLinks() {
            problems.append(FileProblem(path: link, line: 1, message:
                "a symbolic link: rapport never reads through links nor commits them; replace it with the file itself, or delete it (git rm)"))
        }
        problems += journal.templates.problems
        let (people, peopleProblems) = self.people()
        // A read stops at a file's first problem; check lists them all for a plain file.
        func allProblems(_ problem: FileProblem, _ read: (Data) -> [FileProblem]) -> [FileProblem] {
            guard problem.path.hasSuffix(".md"), case .bytes(let data) = NoFollow.read(problem.path, under: journal.root) else {
                return [problem]
            }
            let all = read(data)
            return all.isEmpty ? [problem] : all
        }
        for problem in peopleProblems {
            problems += allProblems(problem) { Person.problems(in: $0, path: problem.path) }
        }
        // A profile that does not parse is reported once, on its own line: the entries that name
        // that person are not reported as naming someone missing.
        let known = Set(people.map(\.slug)).union(peopleProblems.compactMap { problem in
            problem.path.hasPrefix("people/") && problem.path.hasSuffix(".md")
                ? try? Slug(validating: String(problem.path.dropFirst("people/".count).dropLast(".md".count))) : nil
        })
        let scan = scanEntries()
        for problem in scan.problems where !problem.isLocked {
            problems += allProblems(problem) { Entry.problems(in: $0, path: problem.path, zone: journal.timeZone) }
        }

        var firstPathForID: [EntryID: String] = [:]
        var openItems = 0
        for entry in scan.entries {
            let lineOf = { (key: String) in entry.document.line(of: key) ?? 1 }
            if let problem = entry.fileNameProblem { problems.append(problem) }
            if let other = firstPathForID[entry.id] {
                problems.append(FileProblem(path: entry.path, line: lineOf("id"), message: "id \(entry.id) is also used by \(other)"))
            } else {
                firstPathForID[entry.id] = entry.path
            }
            for slug in entry.people where !known.contains(slug) {
                problems.append(FileProblem(path: entry.path, line: lineOf(entry.kind == .oneOnOne ? "person" : "people"),
                                            message: "no person '\(slug)' (people/\(slug).md is missing)"))
            }
            if let category = entry.recognition?.category, !journal.config.categories.contains(category) {
                problems.append(FileProblem(path: entry.path, line: lineOf("category"),
                                            message: "'\(category)' is not a category (\(journal.config.categories.joined(separator: ", ")))"))
            }
            for item in entry.actionItems {
                if !item.isDone { openItems += 1 }
                if let invalidDue = item.invalidDue {
                    problems.append(FileProblem(path: entry.path, line: item.line, message: "'due:\(Text.shown(invalidDue))' is not a real day (YYYY-MM-DD)"))
                }
                if let invalidMention = item.invalidMention {
                    problems.append(FileProblem(path: entry.path, line: item.line,
                                                message: "'@\(Text.shown(invalidMention))' is not a person's slug (slugs are lower case)"))
                }
                if case .person(let slug) = item.owner, !known.contains(slug) {
                    problems.append(FileProblem(path: entry.path, line: item.line, message: "no person '@\(slug)'"))
                }
            }
        }
        for folder in ["people", "entries"] {
            for path in DirectoryWalk.regularFiles(in: journal.root, under: folder) {
                guard let original = ConflictCopy.original(of: path) else { continue }
                problems.append(FileProblem(path: path, line: 1, message:
                    "unresolved sync conflict with \(original): compare them (diff \(original) \(path)), keep what matters in \(original), delete this copy",
                    hint: .commitResolution))
            }
        }
        problems.sort { ($0.path, $0.line) < ($1.path, $1.line) }
        return CheckReport(problems: problems, people: people.count, entries: scan.entries.count, openItems: openItems,
                           locked: scan.problems.filter(\.isLocked))
    }

}

extension Journal {
    /// Every symbolic link in the work tree (outside `.git`), as paths relative to it, sorted. Folders
    /// are walked without following links, hidden names included.
    func symbolicLinks() -> [String] {
        var links: [String] = []
        var pending = [""]
        while let folder = pending.popLast() {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: root + "/" + folder)) ?? [] {
                let path = folder.isEmpty ? name : folder + "/" + name
                guard path != ".git" else { continue }
                var info = stat()
                guard lstat(root + "/" + path, &info) == 0 else { continue }
                switch info.st_mode & S_IFMT {
                case S_IFLNK: links.append(path)
                case S_IFDIR: pending.append(path)
                default: break
                }
            }
        }
        return links.sorted()
    }
}
