import Foundation
import Testing
@testable import GitStore

/// AtomicFile's write-all: Foundation's loop, with the errno kept, so a full disk is named as one.
@Suite struct AtomicFileWriteAllTests {
    @Test func aFullDiskGivesENOSPC() throws {
        let fd = open("/dev/full", O_WRONLY | O_CLOEXEC)
        try #require(fd >= 0)
        defer { close(fd) }
        #expect(AtomicFile.writeAll(Data("x".utf8), to: fd) == ENOSPC)
        #expect(AtomicFile.ioError("/journal/file", code: ENOSPC).localizedDescription.contains("the disk is full"))
    }

    @Test func everyByteIsWritten() throws {
        var ends: [Int32] = [-1, -1]
        try #require(pipe(&ends) == 0)
        defer { close(ends[0]) }
        let bytes = (0..<30_000).map { UInt8($0 % 251) }
        #expect(AtomicFile.writeAll(bytes, to: ends[1]) == nil)
        close(ends[1])
        let read = try FileHandle(fileDescriptor: ends[0], closeOnDealloc: false).readToEnd()
        #expect(read == Data(bytes))
    }
}
