import Glibc
import JournalModel

/// Lists files with readdir and its d_type, without a stat per file: walking 10k entries with
/// FileManager cost a stat each and dominated recording time.
enum DirectoryWalk {
    /// Regular files below `directory`, as paths relative to `base` (`prefix/...`); hidden names
    /// (temporary files) and symbolic links are skipped, so nothing outside the journal is read.
    static func regularFiles(in base: String, under prefix: String) -> [String] {
        var files: [String] = []
        var pending = [prefix]
        while let relative = pending.popLast() {
            forEachName(in: base + "/" + relative) { _, name, kind, _ in
                let path = relative + "/" + String(decoding: name, as: UTF8.self)
                if kind == UInt8(DT_DIR) {
                    pending.append(path)
                } else if kind == UInt8(DT_REG) {
                    files.append(path)
                }
            }
        }
        return files
    }

    /// Calls `body` for each name in the folder at `path` that is not hidden, with the folder's
    /// descriptor (for `fstatat`), the name's bytes (valid during the call, and followed by a NUL,
    /// so `baseAddress` is also the name as a C string), its type (DT_DIR, DT_REG, or 0 for anything else) and, when readdir did not
    /// say the type and it had to be looked up, its stat data. Nothing is read when the folder
    /// cannot be opened.
    static func forEachName(in path: String, _ body: (Int32, UnsafeRawBufferPointer, UInt8, stat?) -> Void) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        // The listing gets its own descriptor: closedir closes it, `descriptor` stays for fstatat.
        let listing = fcntl(descriptor, F_DUPFD_CLOEXEC, 0)
        guard listing >= 0, let directory = fdopendir(listing) else {
            if listing >= 0 { close(listing) }
            close(descriptor)
            return
        }
        defer {
            closedir(directory)
            close(descriptor)
        }
        while let entry = readdir(directory) {
            let type = entry.pointee.d_type
            withUnsafePointer(to: &entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: 256) { name in
                    // strlen stops at the NUL; the bytes after it are not initialised.
                    let bytes = UnsafeRawBufferPointer(start: name, count: strlen(name))
                    guard bytes.first != UInt8(ascii: ".") else { return }
                    guard type == UInt8(DT_UNKNOWN) else {
                        return body(descriptor, bytes, type == UInt8(DT_DIR) || type == UInt8(DT_REG) ? type : 0, nil)
                    }
                    var info = stat()
                    guard fstatat(descriptor, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return }
                    let kind = (info.st_mode & S_IFMT) == S_IFDIR ? UInt8(DT_DIR) : (info.st_mode & S_IFMT) == S_IFREG ? UInt8(DT_REG) : 0
                    body(descriptor, bytes, kind, info)
                }
            }
        }
    }

    /// Entry files (`.md`, `.md.age`) below `prefix`: `visit` gets each one's path relative to
    /// `base` (as bytes, valid during the call) and stat data, on any thread, and what it returns
    /// is collected. `months` (year × 12 + month) limits the `YYYY/MM` folders walked; files
    /// anywhere else under `prefix` are always listed. Hidden names, conflict copies and symbolic
    /// links are skipped, as in `regularFiles`. The top two levels (years, then months) are listed
    /// here; each folder below them is read, with its files' `lstat`s (most of the cost) and their
    /// visits, on every core, and no string is made for a file `visit` drops.
    static func entryFiles<T: Sendable>(in base: String, under prefix: String, months: ClosedRange<Int>?,
                                        visit: @Sendable (UnsafeRawBufferPointer, stat) -> T?) -> [T] {
        var subtrees: [String] = []
        var found: [T] = []
        var pending: [(path: String, depth: Int, year: Int?)] = [(prefix, 0, nil)]
        while let (relative, depth, year) = pending.popLast() {
            for (name, path) in entries(of: relative, in: base, into: &found, visit: visit) {
                let bytes = name.utf8
                let number = bytes.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } ? Int(name) : nil
                if let months, depth == 0, bytes.count == 4, let number {
                    guard (number * 12 + 1...number * 12 + 12).overlaps(months) else { continue }
                    pending.append((path, 1, number))
                } else if depth == 0 {
                    pending.append((path, 1, nil))
                } else {
                    if let months, let year, bytes.count == 2, let number, (1...12).contains(number) {
                        guard months.contains(year * 12 + number) else { continue }
                    }
                    subtrees.append(path)
                }
            }
        }
        let below = Concurrently.map(subtrees, minimum: 2) { folder -> [T] in
            var results: [T] = []
            var folders = [folder]
            while let relative = folders.popLast() {
                folders += entries(of: relative, in: base, into: &results, visit: visit).map(\.path)
            }
            return results
        }
        return found + below.flatMap { $0 }
    }

    /// Visits one folder's entry files (each `lstat`ed relative to the folder, not through the
    /// whole path) and returns its subfolders, as names and paths relative to `base`.
    private static func entries<T>(of relative: String, in base: String, into results: inout [T],
                                   visit: (UnsafeRawBufferPointer, stat) -> T?) -> [(name: String, path: String)] {
        var folders: [(name: String, path: String)] = []
        var path = Array(relative.utf8) + [UInt8(ascii: "/")]
        let folderLength = path.count
        forEachName(in: base + "/" + relative) { descriptor, name, kind, looked in
            if kind == UInt8(DT_DIR) {
                let text = String(decoding: name, as: UTF8.self)
                folders.append((text, relative + "/" + text))
                return
            }
            guard kind == UInt8(DT_REG), DirectoryWalk.isEntryName(name),
                  !(Bytes.contains(ConflictCopy.marker, in: name) && ConflictCopy.isCopy(String(decoding: name, as: UTF8.self)))
            else { return }
            path.removeSubrange(folderLength...)
            path.append(contentsOf: name)
            var info = looked ?? stat()
            guard looked != nil || fstatat(descriptor, name.baseAddress!.assumingMemoryBound(to: CChar.self), &info, AT_SYMLINK_NOFOLLOW) == 0,
                  (info.st_mode & S_IFMT) == S_IFREG else { return }
            if let result = path.withUnsafeBytes({ visit($0, info) }) { results.append(result) }
        }
        return folders
    }

    /// `.md` or `.md.age`, by bytes.
    static func isEntryName(_ name: UnsafeRawBufferPointer) -> Bool {
        func ends(_ suffix: StaticString) -> Bool {
            let length = suffix.utf8CodeUnitCount
            guard name.count >= length else { return false }
            return suffix.withUTF8Buffer { name[(name.count - length)...].elementsEqual($0) }
        }
        return ends(".md") || ends(".md.age")
    }
}
