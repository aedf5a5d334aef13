#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Lists files with readdir and its d_type, without a stat per file: walking 10k entries with
/// FileManager cost a stat each and dominated recording time.
enum DirectoryWalk {
    /// Regular files below `directory`, as paths relative to `base` (`prefix/...`); hidden names
    /// (temporary files) and symbolic links are skipped, so nothing outside the journal is read.
    static func regularFiles(in base: String, under prefix: String) -> [String] {
        var files: [String] = []
        var pending = [prefix]
        while let relative = pending.popLast() {
            guard let directory = opendir(base + "/" + relative) else { continue }
            defer { closedir(directory) }
            while let entry = readdir(directory) {
                // strlen stops at the NUL; reading d_name as a whole buffer would touch the
                // uninitialised bytes after it.
                let name = withUnsafePointer(to: &entry.pointee.d_name) { pointer in
                    pointer.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
                }
                if name.hasPrefix(".") { continue }
                let path = relative + "/" + name
                var type = entry.pointee.d_type
                if type == UInt8(DT_UNKNOWN) {
                    var info = stat()
                    guard lstat(base + "/" + path, &info) == 0 else { continue }
                    type = (info.st_mode & S_IFMT) == S_IFDIR ? UInt8(DT_DIR) : (info.st_mode & S_IFMT) == S_IFREG ? UInt8(DT_REG) : 0
                }
                if type == UInt8(DT_DIR) {
                    pending.append(path)
                } else if type == UInt8(DT_REG) {
                    files.append(path)
                }
            }
        }
        return files
    }

    /// Entry files (`.md`, `.md.age`) below `prefix` with their stat data. `months` (year × 12 +
    /// month) limits the `YYYY/MM` folders walked; files anywhere else under `prefix` are always
    /// listed. Hidden names, conflict copies and symbolic links are skipped, as in `regularFiles`.
    /// The folders are listed first; the files' `lstat`s, most of the cost, run on every core.
    static func entryFiles(in base: String, under prefix: String, months: ClosedRange<Int>?) -> [(path: String, info: stat)] {
        var folders: [(path: String, names: [String])] = []
        var pending: [(path: String, depth: Int, year: Int?)] = [(prefix, 0, nil)]
        while let (relative, depth, year) = pending.popLast() {
            guard let directory = opendir(base + "/" + relative) else { continue }
            defer { closedir(directory) }
            var names: [String] = []
            defer { if !names.isEmpty { folders.append((relative, names)) } }
            while let entry = readdir(directory) {
                let name = withUnsafePointer(to: &entry.pointee.d_name) { pointer in
                    pointer.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
                }
                let bytes = name.utf8
                if bytes.first == UInt8(ascii: ".") { continue }
                var type = entry.pointee.d_type
                if type == UInt8(DT_UNKNOWN) {
                    var info = stat()
                    guard lstat(base + "/" + relative + "/" + name, &info) == 0 else { continue }
                    type = (info.st_mode & S_IFMT) == S_IFDIR ? UInt8(DT_DIR) : (info.st_mode & S_IFMT) == S_IFREG ? UInt8(DT_REG) : 0
                }
                if type == UInt8(DT_DIR) {
                    let path = relative + "/" + name
                    let number = bytes.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } ? Int(name) : nil
                    if let months, depth == 0, bytes.count == 4, let number {
                        guard (number * 12 + 1...number * 12 + 12).overlaps(months) else { continue }
                        pending.append((path, 1, number))
                    } else if let months, depth == 1, let year, bytes.count == 2, let number, (1...12).contains(number) {
                        guard months.contains(year * 12 + number) else { continue }
                        pending.append((path, 2, nil))
                    } else {
                        pending.append((path, depth + 1, nil))
                    }
                } else if type == UInt8(DT_REG), DirectoryWalk.isEntryName(bytes), !ConflictCopy.isCopy(name) {
                    names.append(name)
                }
            }
        }
        // Each folder's files are looked up relative to the folder, not through the whole path.
        let stats = Concurrently.map(folders, minimum: 2) { folder -> [(path: String, info: stat)] in
            let descriptor = open(base + "/" + folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard descriptor >= 0 else { return [] }
            defer { close(descriptor) }
            return folder.names.compactMap { name in
                var info = stat()
                guard fstatat(descriptor, name, &info, AT_SYMLINK_NOFOLLOW) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
                return (folder.path + "/" + name, info)
            }
        }
        return stats.flatMap { $0 }
    }

    /// `.md` or `.md.age`, by bytes.
    static func isEntryName(_ name: String.UTF8View) -> Bool {
        let count = name.count
        func ends(_ suffix: StaticString) -> Bool {
            let length = suffix.utf8CodeUnitCount
            guard count >= length else { return false }
            return suffix.withUTF8Buffer { name.suffix(length).elementsEqual($0) }
        }
        return ends(".md") || ends(".md.age")
    }
}
