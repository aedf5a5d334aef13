import Foundation
import Testing
@testable import JournalModel

@Suite struct FrontMatterTests {
    func parse(_ text: String) throws -> FrontMatterDocument {
        try FrontMatterDocument.parse(Data(text.utf8))
    }

    @Test(arguments: [
        "---\nkind: person\nslug: alice\nname: Alice Chen\n---\nNotes.\n",
        "---\r\nkind: person\r\nname: \"Zoë Ångström\"\r\nslug: zoe\r\n---\r\nBody\r\nwith CRLF\r\n",
        "\u{FEFF}---\nkind: person\n---\n",
        "---\n# a comment first\nkind: one-on-one   # trailing comment\nextra:\n  nested: [1, 2]\n  deeper:\n    - a\ntags:\n- x\n- y\n\n---\n\n\nBody after blank lines",
        "---\nname: 'O''Brien'\nquote: \"a: b # c\"\nempty:\nnull-word: ~\n---\n",
        "---  \nkind: person\n...\nYAML's other end marker",
    ])
    func roundTripsByteForByte(_ text: String) throws {
        #expect(try parse(text).rendered() == text)
    }

    @Test func readsValuesLikeYAML() throws {
        let document = try parse("""
            ---
            name: 'O''Brien'
            quoted: "a: b # c"
            plain: Dana Lee <dana@example.com>
            commented: weekly   # every week
            empty:
            tilde: ~
            yes-no: true
            flow: [career, rfc]
            block:
              - one
              - "two, three"
            mapping:
              a: 1
            ---

            """)
        #expect(document["name"] == .scalar("O'Brien"))
        #expect(document["quoted"] == .scalar("a: b # c"))
        #expect(document["plain"] == .scalar("Dana Lee <dana@example.com>"))
        #expect(document["commented"] == .scalar("weekly"))
        #expect(document["empty"] == .null)
        #expect(document["tilde"] == .null)
        #expect(document["yes-no"] == .boolean(true))
        #expect(document["flow"] == .list(["career", "rfc"]))
        #expect(document["block"] == .list(["one", "two, three"]))
        #expect(document["mapping"] == .other)
        #expect(document.keys == ["name", "quoted", "plain", "commented", "empty", "tilde", "yes-no", "flow", "block", "mapping"])
        #expect(document.line(of: "flow") == 9)
        #expect(document.bodyLine == 16)
    }

    @Test func settingAKeyLeavesEveryOtherLineAlone() throws {
        let text = "---\r\nstatus: active # keep me\r\nzzz: custom\r\nname: Zoë\r\n---\r\nNotes\r\n"
        var document = try parse(text)
        document.set("status", .scalar("left"))
        document.set("left", .scalar("2026-11-28"), after: "status")
        #expect(document.rendered() == "---\r\nstatus: left # keep me\r\nleft: 2026-11-28\r\nzzz: custom\r\nname: Zoë\r\n---\r\nNotes\r\n")
    }

    @Test func mixedLineEndingsAndCommentsSurviveASet() throws {
        let text = "---\r\nkind: person\nstatus: active           # active | left\r\n# note: moving to Berlin\n\n"
            + "name: A\r\n---\nBody with a lone\rCR\r\nand LF\n"
        var document = try parse(text)
        #expect(document.rendered() == text)
        document.set("status", .scalar("left"))
        document.set("left", .scalar("2026-11-28"), after: "status")
        #expect(document.rendered() == "---\r\nkind: person\nstatus: left           # active | left\r\nleft: 2026-11-28\r\n"
                + "# note: moving to Berlin\n\nname: A\r\n---\nBody with a lone\rCR\r\nand LF\n")
        let reparsed = try parse(document.rendered())
        #expect(reparsed["status"] == .scalar("left"))
        #expect(reparsed["left"] == .scalar("2026-11-28"))
        #expect(try parse("---\nkind: person\n---").rendered() == "---\nkind: person\n---")
    }

    @Test func valuesReadTheSameWithAnyLineEnding() throws {
        for ending in ["\n", "\r\n"] {
            let text = ["---", "name: \"Bob", "  #1 Builder\"", "role: |", "  Staff engineer", "  #1 on-call",
                        "tags: # the tags", "  - alpha", "  - beta", "people:", "-", "- carol", "---", "body"]
                .joined(separator: ending)
            let document = try parse(text)
            #expect(document.rendered() == text)
            #expect(document["name"] == .scalar("Bob #1 Builder"), "\(ending.debugDescription)")
            #expect(document["role"] == .scalar("Staff engineer\n#1 on-call\n"), "\(ending.debugDescription)")
            #expect(document["tags"] == .list(["alpha", "beta"]), "\(ending.debugDescription)")
            #expect(document["people"] == .list(["", "carol"]), "\(ending.debugDescription)")
        }
    }

    @Test func commentsNearARewrittenOrRemovedKeyStay() throws {
        var document = try parse("---\nstatus: active\nleft:      # filled in by rapport person leave\nmood:\n# mood is 1-5\nenergy:\n---\n")
        document.set("left", .scalar("2026-11-28"))
        document.set("mood", nil)
        document.set("energy", nil)
        #expect(document.rendered() == "---\nstatus: active\nleft: 2026-11-28 # filled in by rapport person leave\n# mood is 1-5\n---\n")
    }

    @Test func emitsPlainOnlyWhenYAMLReadsItBack() throws {
        let values = ["Alice Chen", "Zoë Ångström", "O'Brien", "true", "null", "a: b", "x #y", "- dash", "[x]", "", " pad",
                      "42", "line\nbreak", "tab\there", "quote\"d", "back\\slash", "2026-11-28"]
        for value in values {
            let document = FrontMatterDocument(fields: [("v", .scalar(value)), ("l", .list([value.isEmpty ? "e" : value, "b, c"]))],
                                               body: "")
            let reparsed = try parse(document.rendered())
            #expect(reparsed["v"] == .scalar(value), "\(value)")
            #expect(reparsed["l"] == .list([value.isEmpty ? "e" : value, "b, c"]), "\(value)")
        }
        #expect(YAMLValue.scalar("Alice Chen").emitted == "Alice Chen")
        #expect(YAMLValue.scalar("true").emitted == "\"true\"")
        #expect(YAMLValue.list(["career", "rfc"]).emitted == "[career, rfc]")
        #expect(YAMLValue.list([]).emitted == "[]")
    }

    @Test(arguments: [
        ("no front matter\n", 1, "must start with a '---' line"),
        ("---\nkind: person\n", 1, "not closed"),
        ("---\nkind: person\nthis is not yaml\n---\n", 3, "expected 'key: value'"),
        ("---\nkind: person\nkind: again\n---\n", 3, "duplicate key 'kind' (first on line 2)"),
        ("---\nkind: person\nname: [unclosed\n---\n", 3, "'name' is not valid YAML"),
        ("---\nkind: person\ntags:\n  - a\n  b: [\n---\n", 5, "'tags' is not valid YAML"),
    ])
    func reportsTheLineOfAProblem(_ text: String, _ line: Int, _ message: String) {
        #expect {
            _ = try parse(text)
        } throws: { error in
            guard let error = error as? FrontMatterError else { return false }
            return error.line == line && error.message.contains(message)
        }
    }

    @Test func refusesInvalidUTF8AndNUL() {
        var bytes = Data("---\nname: ok\nbad: ".utf8)
        bytes.append(contentsOf: [0xC3, 0x28, 0x0A])
        bytes.append(Data("---\n".utf8))
        #expect(throws: FrontMatterError(line: 3, message: "the file is not valid UTF-8")) {
            _ = try FrontMatterDocument.parse(bytes)
        }
        #expect(throws: FrontMatterError(line: 2, message: "the file contains a NUL byte")) {
            _ = try FrontMatterDocument.parse(Data("---\nname: a\u{0}b\n---\n".utf8))
        }
    }
}
