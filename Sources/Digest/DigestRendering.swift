import Foundation
import Journal

extension DigestReport {
    /// The digest in `format`, through the journal's templates for Markdown and HTML. `moreHint`
    /// follows the count of attention lines left out and says where to find them all: a front end
    /// names its own way to the JSON digest.
    public func render(_ format: DigestFormat, templates: Templates, moreHint: String = DigestReport.jsonHint) throws -> String {
        switch format {
        case .json: return json() + "\n"
        case .md: return try templates.render("digest.md", context(html: false, moreHint: moreHint))
        case .html: return DigestReport.htmlDocument(around: try templates.render("digest.html", context(html: true, moreHint: moreHint)))
        }
    }

    /// Where the attention lines a rendered digest leaves out are, in the library's words.
    public static let jsonHint = "the JSON digest lists them all"

    /// A rendered HTML template as a digest page. rapport writes the page's start before any
    /// template output, the Content-Security-Policy first in `<head>`, so no template, built-in or
    /// a journal's own, can run script, load anything or send a form, and none can take the policy
    /// out. A template that writes its own `<!DOCTYPE html><html><head>` still works: HTML parsers
    /// ignore those inside a head, and a second policy can only narrow the first.
    static func htmlDocument(around templateOutput: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">
        <meta charset="utf-8">

        """ + templateOutput
    }

    /// The values the templates see. Numbers arrive formatted; sections an audience may not see
    /// are absent, so an overriding template cannot show them either. Text from the journal is
    /// escaped here for Markdown (HTML templates escape it themselves, and the page's policy stops
    /// what a `{{{ }}}` could let through), so a template gets no raw note to print.
    func context(html: Bool, moreHint: String = DigestReport.jsonHint) -> [String: Any] {
        let text: (String) -> String = { html ? $0 : MarkdownText.escaped($0) }
        var context: [String: Any] = [
            "journal": text(journalName),
            "title": "\(periodName.map { "\($0) digest" } ?? "Digest"): \(period.label)",
            "period_label": period.label,
            "period_start": period.start.description,
            "period_end": period.end.description,
            "as_of": asOf.description,
            "audience": audience.rawValue,
            "commit": commit ?? "none",
            "commit_short": commit.map { String($0.prefix(10)) } ?? "none",
            "health_line": healthLine,
            "components": componentRows,
            "shows_bands": health.bands != nil,
            "has_trend": trend.contains { $0.score != nil },
            "trend": trend.map { ["period": $0.period.label, "score": $0.score.map(String.init) ?? "–"] },
            "suggestions": suggestions.map { ["text": text($0)] },
            "has_suggestions": !suggestions.isEmpty,
            "attention": attention.groups.map { group -> [String: Any] in
                ["name": text(group.name), "lines": group.lines.map { line -> [String: Any] in
                    ["text": text(line.signal.detail), "still": line.signal.status == .still,
                     "ids": line.ids, "has_ids": !line.ids.isEmpty]
                }]
            },
            "attention_more": attention.more > 0 ? "and \(attention.more) more (\(moreHint))" : "",
            "has_attention_more": attention.more > 0,
            "weights_line": weightsLine,
            "shows_signals": audience != .team,
            "recognition": recognition.map { item -> [String: Any] in
                ["id": item.id.value, "date": item.date.description, "people": text(item.names.joined(separator: ", ")),
                 "category": text(item.category ?? ""), "has_category": item.category != nil, "text": text(item.text),
                 "private": item.visibility == .private]
            },
            "has_recognition": !recognition.isEmpty,
            "shows_recognition": audience != .manager,
            "unreadable": unreadable.count,
            "has_unreadable": !unreadable.isEmpty,
            "too_few": DigestReport.tooFew,
        ]
        if let people {
            context["has_people"] = !people.isEmpty
            context["show_wellbeing"] = audience == .self
            context["people"] = people.enumerated().map { index, row -> [String: Any] in
                var person: [String: Any] = [
                    "slug": row.slug.value, "name": text(row.name), "cadence": row.cadence.description,
                    "one_on_ones": row.oneOnOnes, "days_since_last": row.daysSinceLast.map(String.init) ?? "never",
                    "overdue": row.overdue, "status": row.overdue ? "overdue" : "ok",
                ]
                if row.showsWellbeing {
                    person["mood"] = row.mood.map(String.init) ?? "–"
                    person["energy"] = row.energy.map(String.init) ?? "–"
                    person["workload"] = row.workload.map(String.init) ?? "–"
                    person["recognized_30d"] = row.recognized30d.map(String.init) ?? "–"
                    if html {
                        person["mood_chart"] = Charts.sparkline(row.moodSeries, label: "\(row.name): mood, oldest to latest",
                                                                id: "mood-\(index)")
                        person["energy_chart"] = Charts.sparkline(row.energySeries, label: "\(row.name): energy, oldest to latest",
                                                                  id: "energy-\(index)")
                    }
                }
                return person
            }
        }
        if audience == .self {
            context["has_key_points"] = !keyPoints.isEmpty
            context["key_points"] = keyPoints.map { points in
                ["name": text(points.name), "slug": points.person.value,
                 "sentences": points.sentences.map { ["text": text($0.text), "entry": $0.entry.value, "watch": $0.watchWord != nil] }]
                    as [String: Any]
            }
        }
        if audience != .team {
            if let actionItems {
                context["action_items"] = [
                    "total": counts(actionItems.total), "me": counts(actionItems.me), "report": counts(actionItems.report),
                ]
            } else {
                context["action_items_withheld"] = true
            }
        }
        if html {
            context["health_chart"] = Charts.healthTrend(trend)
            if let cadenceStrip, !cadenceStrip.rows.isEmpty { context["cadence_chart"] = Charts.cadence(cadenceStrip) }
        }
        return context
    }

    /// The "Needs attention" list as a manager reads it: per person (the one with the most
    /// urgent signal first, as `signals` are ordered), each line with the entries it rests on, and
    /// at most `attentionLines` lines; the rest are counted, and all of them are in the JSON.
    static let attentionLines = 7
    static let citedIDs = 3

    var attention: (groups: [(name: String, lines: [(signal: Signal, ids: String)])], more: Int) {
        let names = Dictionary((people ?? []).map { ($0.slug, $0.name) }, uniquingKeysWith: { first, _ in first })
        var groups: [(name: String, lines: [(signal: Signal, ids: String)])] = []
        var person: Slug?
        // The most urgent lines, wherever they are, shown in the per-person order of `signals`.
        let urgent = Set(signals.indices.sorted { Signal.moreUrgent(signals[$0], signals[$1]) }.prefix(DigestReport.attentionLines))
        for (index, signal) in signals.enumerated() where urgent.contains(index) {
            var ids = signal.evidence.prefix(DigestReport.citedIDs).map(\.value).joined(separator: ", ")
            if signal.evidence.count > DigestReport.citedIDs { ids += ", …" }
            let line = (signal: signal, ids: ids)
            if signal.person == person {
                groups[groups.count - 1].lines.append(line)
            } else {
                groups.append((name: names[signal.person] ?? signal.person.value, lines: [line]))
                person = signal.person
            }
        }
        return (groups, max(0, signals.count - DigestReport.attentionLines))
    }

    /// How the score is made: each weight, for the components it counts.
    var weightsLine: String {
        let counted = health.bands == nil ? ["mood", "energy", "cadence", "recognition"] : ["cadence", "recognition"]
        let weights = weightRows.filter { counted.contains($0.name) }.map { "\($0.name) \(Format.decimal2($0.weight))" }
        return "Score = 100 × the weighted mean of the components with data; weights: " + weights.joined(separator: ", ") + "."
    }

    /// Each component's weight and its share of the score in points (weight × value over the sum
    /// of the weights of the components with a value), nil when it does not count.
    var weightRows: [(name: String, weight: Double, points: Double?)] {
        let weights = health.weights
        let components = health.components
        let parts: [(String, Double?, Double)] = [
            ("mood", components.mood, weights.mood), ("energy", components.energy, weights.energy),
            ("cadence", components.cadence, weights.cadence), ("recognition", components.recognition, weights.recognition),
        ]
        // Divided by the largest weight first, as the score is, so no finite weights overflow.
        let largest = parts.filter { $0.1 != nil }.map(\.2).max() ?? 0
        let total = parts.filter { $0.1 != nil }.reduce(0) { $0 + $1.2 / largest }
        return parts.map { name, value, weight in
            (name, weight, value.flatMap { largest > 0 && total > 0 ? 100 * (weight / largest) * $0 / total : nil })
        }
    }

    /// The period's adjective; a custom range has none (its title is "Digest: FROM..UNTIL" for
    /// every audience).
    var periodName: String? {
        switch period.kind {
        case .week: "Weekly"
        case .month: "Monthly"
        case .quarter: "Quarterly"
        case .range: nil
        }
    }

    var healthLine: String {
        guard let score = health.score else {
            if audience != .self, health.activePeople < 3 { return DigestReport.tooFew }
            return "no data yet"
        }
        guard let previous = health.previous else { return "\(score) / 100 (no score for the previous period)" }
        let change = score - previous
        return "\(score) / 100 (previous \(previous), \(change > 0 ? "+" : change < 0 ? "−" : "±")\(abs(change)))"
    }

    /// Each component's value, or for the manager and team audiences the band of mood and energy.
    var componentRows: [[String: Any]] {
        let components = health.components
        let rows: [(String, Double?, Band?)] = [
            ("mood", components.mood, health.bands?.mood), ("energy", components.energy, health.bands?.energy),
            ("cadence", components.cadence, nil), ("recognition", components.recognition, nil),
        ]
        let weights = Dictionary(weightRows.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        return rows.map { name, value, band in
            let shown = value.map { String(format: "%.2f", $0) } ?? band?.rawValue
                ?? (health.withheld.contains(name) ? DigestReport.tooFew : "no data")
            let points = weights[name]?.points
            return ["name": name, "value": shown, "percent": value.map { Int(($0 * 100).rounded()) } ?? 0,
                    "has_value": value != nil, "weight": band != nil ? "not counted" : Format.decimal2(weights[name]?.weight ?? 0),
                    "points": points.map { String(format: "%.1f", $0) } ?? "–",
                    "points_percent": points.map { Int($0.rounded()) } ?? 0, "has_points": points != nil]
        }
    }

    private func counts(_ counts: ActionItemCounts.Counts) -> [String: Int] {
        ["open": counts.open, "overdue": counts.overdue, "opened": counts.opened, "closed": counts.closed]
    }
}
