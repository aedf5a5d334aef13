import Foundation
import Journal

/// Inline SVG charts for the HTML digest. Each is an `img` with a title and a description for
/// screen readers, scales with its container (viewBox, no fixed width), and uses no script,
/// font or link: the page stays one self-contained file.
enum Charts {
    /// Team health (0-100) over the trend's periods; a period without a score leaves a gap.
    static func healthTrend(_ points: [TrendPoint], id: String = "health-trend") -> String {
        let width = 600.0, height = 170.0, left = 34.0, right = 24.0, top = 12.0, bottom = 30.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let step = points.count > 1 ? plotWidth / Double(points.count - 1) : 0
        func x(_ index: Int) -> Double { left + step * Double(index) }
        func y(_ score: Int) -> Double { top + plotHeight * (1 - Double(score) / 100) }
        let summary = points.map { "\($0.period.label): \($0.score.map(String.init) ?? "no score")" }.joined(separator: ", ")
        var svg = open(id: id, width: width, height: height, title: "Team health over the last \(points.count) periods",
                       description: summary)
        for level in [0, 50, 100] {
            svg += "<line class=\"grid\" x1=\"\(left)\" y1=\"\(y(level))\" x2=\"\(width - right)\" y2=\"\(y(level))\"/>"
            svg += "<text class=\"axis\" x=\"\(left - 6)\" y=\"\(y(level) + 4)\" text-anchor=\"end\">\(level)</text>"
        }
        var segments: [[(Double, Double)]] = [[]]
        for (index, point) in points.enumerated() {
            if let score = point.score { segments[segments.count - 1].append((x(index), y(score))) } else { segments.append([]) }
        }
        for segment in segments where segment.count > 1 {
            svg += "<polyline class=\"line\" points=\"\(segment.map { "\(fixed($0.0)),\(fixed($0.1))" }.joined(separator: " "))\"/>"
        }
        for (index, point) in points.enumerated() {
            if index % max(1, points.count / 6) == 0 || index == points.count - 1 {
                svg += "<text class=\"axis\" x=\"\(fixed(x(index)))\" y=\"\(height - 8)\" text-anchor=\"middle\">\(XML.escape(shortLabel(point.period)))</text>"
            }
            guard let score = point.score else { continue }
            svg += "<circle class=\"dot\" cx=\"\(fixed(x(index)))\" cy=\"\(fixed(y(score)))\" r=\"3.5\"><title>\(XML.escape(point.period.label)): \(score)</title></circle>"
        }
        return svg + "</svg>"
    }

    /// A small line of 1-5 values, oldest first.
    static func sparkline(_ values: [Int], label: String, id: String) -> String {
        let width = 120.0, height = 28.0, pad = 3.0
        let description = values.isEmpty ? "no data" : values.map(String.init).joined(separator: ", ")
        var svg = open(id: id, width: width, height: height, title: label, description: description, className: "spark")
        guard !values.isEmpty else { return svg + "<text class=\"axis\" x=\"2\" y=\"18\">no data</text></svg>" }
        let step = values.count > 1 ? (width - 2 * pad) / Double(values.count - 1) : 0
        let points = values.enumerated().map { index, value in
            (pad + step * Double(index), pad + (height - 2 * pad) * (1 - Double(value - 1) / 4))
        }
        if points.count > 1 {
            svg += "<polyline class=\"line\" points=\"\(points.map { "\(fixed($0.0)),\(fixed($0.1))" }.joined(separator: " "))\"/>"
        }
        let lastPoint = points[points.count - 1]
        svg += "<circle class=\"dot\" cx=\"\(fixed(lastPoint.0))\" cy=\"\(fixed(lastPoint.1))\" r=\"2.5\"/>"
        return svg + "</svg>"
    }

    /// One row per person, one cell per week: how many one-on-ones that week.
    static func cadence(_ strip: CadenceStrip, id: String = "cadence-strip") -> String {
        let labelWidth = 150.0, cell = 22.0, gap = 3.0, header = 18.0
        let width = labelWidth + Double(strip.weeks.count) * (cell + gap)
        let height = header + Double(max(strip.rows.count, 1)) * (cell + gap)
        let first = strip.weeks.first.map(\.description) ?? ""
        var svg = open(id: id, width: width, height: height,
                       title: "One-on-ones per person per week, \(strip.weeks.count) weeks from \(first)",
                       description: strip.rows.map { "\($0.name): \($0.counts.map(String.init).joined(separator: " "))" }
                           .joined(separator: "; "), className: "chart cadence")
        for (index, week) in strip.weeks.enumerated() where index % 2 == 0 || strip.weeks.count <= 6 {
            svg += "<text class=\"axis\" x=\"\(fixed(labelWidth + Double(index) * (cell + gap) + cell / 2))\" y=\"12\" text-anchor=\"middle\">\(week.description.dropFirst(5))</text>"
        }
        for (row, person) in strip.rows.enumerated() {
            let y = header + Double(row) * (cell + gap)
            svg += "<text class=\"label\" x=\"0\" y=\"\(fixed(y + cell * 0.7))\">\(XML.escape(String(person.name.prefix(22))))</text>"
            for (index, count) in person.counts.enumerated() {
                let x = labelWidth + Double(index) * (cell + gap)
                let level = min(count, 2)
                let text = "\(person.name), week of \(strip.weeks[index]): \(count) one-on-one\(count == 1 ? "" : "s")"
                svg += "<rect class=\"cell c\(level)\" x=\"\(fixed(x))\" y=\"\(fixed(y))\" width=\"\(cell)\" height=\"\(cell)\" rx=\"3\"><title>\(XML.escape(text))</title></rect>"
            }
        }
        return svg + "</svg>"
    }

    private static func open(id: String, width: Double, height: Double, title: String, description: String,
                             className: String = "chart") -> String {
        "<svg class=\"\(className)\" role=\"img\" aria-labelledby=\"\(id)-title \(id)-desc\" viewBox=\"0 0 \(fixed(width)) \(fixed(height))\">"
            + "<title id=\"\(id)-title\">\(XML.escape(title))</title><desc id=\"\(id)-desc\">\(XML.escape(description))</desc>"
    }

    private static func shortLabel(_ period: Period) -> String {
        switch period.kind {
        case .week: String(period.label.suffix(3))
        case .month: period.label
        case .quarter: String(period.label.suffix(2))
        case .range: String(period.start.description.dropFirst(5))
        }
    }

    static func fixed(_ value: Double) -> String { String(format: "%.1f", value) }
}

enum XML {
    static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }
}
