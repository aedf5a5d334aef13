import Foundation
import Testing
import TestSupport
@testable import Digest
import Journal
import JournalDemo

/// rapport writes the HTML digest's Content-Security-Policy itself, as the first element in
/// `<head>`, before any template output: no template can run script, load anything or lift it.
@Suite struct HTMLPolicyTests {
    static let policy = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        + "img-src data:; base-uri 'none'; form-action 'none'\">"

    /// Template output that tries everything: its own doctype, html and head, script first, a looser
    /// policy, a remote image, a base and a form.
    static let hostileTemplate = """
        <!DOCTYPE html><html><head><script>document.title = 'script ran'</script>
        <meta http-equiv="Content-Security-Policy" content="default-src *; script-src * 'unsafe-inline'">
        <base href="http://evil.example/"><title>kept</title></head>
        <body><img src="http://127.0.0.1:9/pixel.png"><form action="http://127.0.0.1:9/"></form></body></html>
        """

    @Test(arguments: ["", "<p>plain</p>", "</head><body>early</body>", "<!--", hostileTemplate])
    func thePolicyComesFirstWhateverTheTemplateWrites(_ templateOutput: String) {
        let page = DigestReport.htmlDocument(around: templateOutput)
        #expect(page.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n" + HTMLPolicyTests.policy + "\n"))
        #expect(page.hasSuffix(templateOutput))
    }

    /// A demo journal's digest with the built-in template, and the hostile template's page, in
    /// Debian's headless Chromium (as HTMLDigestTests): the browser reports what the policy blocked.
    @Test func aBrowserEnforcesThePolicyAndTheDigestNeedsNothingItBlocks() throws {
        let scratch = Scratch()
        var options = DemoOptions()
        options.people = 4
        options.weeks = 8
        options.seed = 3
        options.timeZone = TimeZone(identifier: "Europe/Berlin")!
        options.end = LocalDay("2026-11-27")
        let now = try #require(Timestamp(parsing: "2026-11-28T12:00:00+01:00", defaultZone: options.timeZone)).date
        _ = try DemoJournal.generate(at: scratch.appending("demo"), options: options, now: now)
        let journal = try Journal.open(at: scratch.appending("demo"))
        let period = Period.week(containing: LocalDay("2026-11-27")!, weekStart: 2)
        let digest = try Digest.build(journal: journal, period: period, audience: .self, now: now)
        scratch.write(try digest.render(.html, templates: journal.templates), to: "digest.html")
        scratch.write(DigestReport.htmlDocument(around: HTMLPolicyTests.hostileTemplate), to: "hostile.html")

        func open(_ name: String) throws -> (dom: String, console: String) {
            let result = run("chromium", [
                "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
                "--disable-background-networking", "--proxy-server=127.0.0.1:9",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1", "--user-data-dir=" + scratch.appending("profile-" + name),
                "--enable-logging=stderr", "--v=0", "--dump-dom", "file://" + scratch.appending(name),
            ], in: scratch.path, environment: ["HOME": scratch.path, "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin"])
            try #require(result.status == 0, "chromium failed (run `make deps` to install it): \(result)")
            let console = result.stderr.split(separator: "\n").filter { $0.contains(":CONSOLE") }.joined(separator: "\n")
            return (result.stdout, console)
        }

        let hostile = try open("hostile.html")
        // Parsed, the policy is the head's first element; the template's script did not run.
        let head = try #require(hostile.dom.range(of: "<head>"))
        #expect(hostile.dom[head.upperBound...].trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix(HTMLPolicyTests.policy))
        #expect(hostile.dom.contains("<title>kept</title>") && !hostile.dom.contains("<title>script ran</title>"))
        #expect(hostile.console.contains("Executing inline script violates the following Content Security Policy directive"))
        #expect(hostile.console.contains("Loading the image 'http://127.0.0.1:9/pixel.png' violates"))

        // The built-in digest's inline CSS and SVG charts are all allowed: nothing is reported.
        let page = try open("digest.html")
        let pageHead = try #require(page.dom.range(of: "<head>"))
        #expect(page.dom[pageHead.upperBound...].trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix(HTMLPolicyTests.policy))
        #expect(page.dom.contains("<svg class=\"chart\"") && page.dom.contains("<style>"))
        #expect(!page.console.contains("Content Security Policy"), "\(page.console)")
    }
}
