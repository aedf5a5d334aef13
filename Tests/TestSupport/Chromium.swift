import Foundation

/// Debian's headless Chromium (installed by `make deps`) opening a local page. The browser's own
/// traffic goes to a dead proxy on 127.0.0.1 and names resolve to nothing, so nothing leaves the
/// machine; Chromium's NetLog then shows every request the page itself tried to make.
public enum Chromium {
    public static let executable = ProcessInfo.processInfo.environment["RAPPORT_CHROMIUM"] ?? "chromium"

    /// Chromium did not run, or wrote no usable log.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// What a page did when it was opened.
    public struct Page: Sendable {
        /// The URLs the page asked for (images, styles, scripts, fetches), not the browser's own.
        public let requests: [String]
        /// The rendered DOM.
        public let dom: String
        /// A PNG of the page at the width it was opened with.
        public let screenshot: Data
    }

    /// Options that keep the browser quiet and local, with a profile of its own in `profile`.
    public static func quietOptions(profile: String) -> [String] {
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--disable-default-apps", "--no-first-run", "--disable-extensions", "--disable-domain-reliability",
            "--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            "--user-data-dir=" + profile,
        ]
    }

    /// Loads `file` once for a screenshot and the NetLog, and once more for the rendered DOM; the
    /// profile, log and screenshot go to `scratch`, named after `name`.
    public static func open(_ file: String, width: Int, scratch: Scratch, name: String) throws -> Page {
        let netLog = scratch.appending("net-\(name).json")
        let shot = scratch.appending("shot-\(name).png")
        let common = quietOptions(profile: scratch.appending("chromium-\(name)"))
        let environment = ["HOME": scratch.path, "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
        let loaded = run(executable, common + [
            "--log-net-log=" + netLog, "--window-size=\(width),2400", "--screenshot=" + shot, "file://" + file,
        ], in: scratch.path, environment: environment)
        guard loaded.status == 0 else { throw Failure(description: "chromium failed (run `make deps` to install it): \(loaded)") }
        let dom = run(executable, common + ["--dump-dom", "file://" + file], in: scratch.path, environment: environment)
        guard dom.status == 0 else { throw Failure(description: "chromium failed: \(dom)") }
        return Page(requests: try requests(inNetLog: netLog), dom: dom.stdout,
                    screenshot: try Data(contentsOf: URL(fileURLWithPath: shot)))
    }

    /// The requests a page made, from a NetLog: they carry the page's file:// site in their
    /// isolation key, where the browser's own (updates, time, accounts) carry none.
    public static func requests(inNetLog path: String) throws -> [String] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard let log = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let types = (log["constants"] as? [String: Any])?["logEventTypes"] as? [String: Int],
              let start = types["URL_REQUEST_START_JOB"] else {
            throw Failure(description: "\(path) is not a NetLog with URL_REQUEST_START_JOB events")
        }
        let events = log["events"] as? [[String: Any]] ?? []
        return events.compactMap { event -> String? in
            guard event["type"] as? Int == start, let params = event["params"] as? [String: Any],
                  (params["network_isolation_key"] as? String)?.contains("file://") == true else { return nil }
            return params["url"] as? String
        }
    }
}
