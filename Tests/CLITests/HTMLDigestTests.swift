import Foundation
import Testing
import TestSupport

/// Opens the HTML digest in Debian's headless Chromium (TestSupport's `Chromium`), which shows
/// every request the page itself tried to make.
@Suite(.serialized) struct HTMLDigestTests {
    @Test func theDigestRendersWithItsChartsAndMakesNoRequest() throws {
        let cli = CLI()
        #expect(cli("demo", cli.journal, "--people", "6", "--weeks", "16", "--seed", "7").status == 0)
        let file = cli.scratch.appending("digest.html")
        let made = cli("digest", "--format", "html", "--out", file)
        #expect(made.status == 0, "\(made)")

        // The detector works: a page that does reach out is caught.
        cli.scratch.write("<!DOCTYPE html><img src=\"http://127.0.0.1:9/probe.png\"><link rel=stylesheet href=\"https://example.invalid/x.css\">",
                          to: "control.html")
        let control = try Chromium.open(cli.scratch.appending("control.html"), width: 800, scratch: cli.scratch, name: "control")
        #expect(Set(control.requests) == ["http://127.0.0.1:9/probe.png", "https://example.invalid/x.css"])

        for (width, name) in [(1100, "wide"), (380, "narrow")] {
            let page = try Chromium.open(file, width: width, scratch: cli.scratch, name: name)
            #expect(page.requests.isEmpty, "the digest made requests: \(page.requests)")
            #expect(page.screenshot.starts(with: [0x89, 0x50, 0x4E, 0x47]) && page.screenshot.count > 10_000)
            // PNG width, from the IHDR chunk.
            let pngWidth = page.screenshot[16..<20].reduce(0) { $0 << 8 | Int($1) }
            #expect(pngWidth == width)
            // The charts are in the rendered DOM, each an image with a title and a description.
            let charts = page.dom.components(separatedBy: "<svg ").count - 1
            let people = page.dom.components(separatedBy: "<title id=\"mood-").count - 1
            #expect(people >= 4, "one mood sparkline per active person")
            #expect(charts == 1 + 2 * people + 1, "health trend, two sparklines per person, cadence strip: \(charts)")
            #expect(page.dom.contains("<title id=\"health-trend-title\">Team health over the last 12 periods</title>"))
            #expect(page.dom.contains("aria-labelledby=\"cadence-strip-title cadence-strip-desc\""))
            #expect(page.dom.components(separatedBy: "role=\"img\"").count - 1 == charts)
            #expect(page.dom.contains("<polyline class=\"line\""))
        }
        let keep = ProcessInfo.processInfo.environment["RAPPORT_SCREENSHOTS"]
        if let keep {
            for name in ["wide", "narrow"] {
                try? FileManager.default.removeItem(atPath: keep + "/digest-\(name).png")
                try? FileManager.default.copyItem(atPath: cli.scratch.appending("shot-\(name).png"), toPath: keep + "/digest-\(name).png")
            }
        }
    }

    @Test func thePrintedDigestIsAPDF() throws {
        let cli = CLI()
        #expect(cli("demo", cli.journal, "--people", "4", "--weeks", "8", "--seed", "3").status == 0)
        let file = cli.scratch.appending("digest.html")
        #expect(cli("digest", "--format", "html", "--out", file).status == 0)
        let pdf = cli.scratch.appending("digest.pdf")
        let printed = run(Chromium.executable, [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
            "--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            "--user-data-dir=" + cli.scratch.appending("chromium-print"), "--no-pdf-header-footer",
            "--print-to-pdf=" + pdf, "file://" + file,
        ], in: cli.scratch.path, environment: ["HOME": cli.scratch.path, "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin"])
        #expect(printed.status == 0, "\(printed)")
        let data = try Data(contentsOf: URL(fileURLWithPath: pdf))
        #expect(data.starts(with: Array("%PDF".utf8)) && data.count > 5_000)
    }
}
