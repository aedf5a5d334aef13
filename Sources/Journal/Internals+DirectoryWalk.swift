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
}
