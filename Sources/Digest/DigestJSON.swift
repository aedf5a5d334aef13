import Foundation
import Journal

extension DigestReport {
    public static let schema = "rapport.digest/v1"

    /// The `--format json` document, `rapport.digest/v1`. Keys an audience may not see are absent;
    /// keys it may see are always present, `null` when there is no data. The manager and team
    /// audiences get `health.bands` beside the components, whose mood and energy stay `null` for
    /// them (the schema only grows: a number field never becomes a string).
    public func jsonObject() -> [String: Any] {
        var healthObject: [String: Any] = [
            "score": JSONOutput.value(health.score),
            "previous": JSONOutput.value(health.previous),
            "active_people": audience == .self || health.activePeople >= 3 ? health.activePeople as Any : NSNull(),
            "components": [
                "mood": JSONOutput.value(health.components.mood.map(JSON.rounded)),
                "energy": JSONOutput.value(health.components.energy.map(JSON.rounded)),
                "cadence": JSONOutput.value(health.components.cadence.map(JSON.rounded)),
                "recognition": JSONOutput.value(health.components.recognition.map(JSON.rounded)),
            ],
            "withheld": health.withheld,
            "weights": ["mood": health.weights.mood, "energy": health.weights.energy, "cadence": health.weights.cadence,
                        "recognition": health.weights.recognition],
            "points": Dictionary(uniqueKeysWithValues: weightRows.map { ($0.name, JSONOutput.value($0.points.map(JSON.rounded))) }),
            "trend": trend.map { ["period": $0.period.label, "start": $0.period.start.description,
                                  "end": $0.period.end.description, "score": JSONOutput.value($0.score)] },
        ]
        if let bands = health.bands {
            healthObject["bands"] = ["mood": JSONOutput.value(bands.mood?.rawValue), "energy": JSONOutput.value(bands.energy?.rawValue)]
        }
        var object: [String: Any] = [
            "schema": DigestReport.schema,
            "journal": journalName,
            "commit": JSONOutput.value(commit),
            "audience": audience.rawValue,
            "period": [
                "kind": period.kind.rawValue, "label": period.label, "start": period.start.description,
                "end": period.end.description, "as_of": asOf.description,
            ],
            "health": healthObject,
            "unreadable_files": unreadable.count,
        ]
        if audience != .manager {
            object["recognition"] = recognition.map { item -> [String: Any] in
                var object: [String: Any] = [
                    "id": item.id.value, "date": item.date.description, "people": item.people.map(\.value), "names": item.names,
                    "category": JSONOutput.value(item.category), "text": item.text,
                ]
                if audience == .self { object["visibility"] = item.visibility.rawValue }
                return object
            }
        }
        if let people {
            object["people"] = people.map { row -> [String: Any] in
                var person: [String: Any] = [
                    "slug": row.slug.value, "name": row.name, "cadence": row.cadence.description,
                    "one_on_ones": row.oneOnOnes, "days_since_last": JSONOutput.value(row.daysSinceLast), "overdue": row.overdue,
                ]
                if row.showsWellbeing {
                    person["mood"] = JSONOutput.value(row.mood)
                    person["energy"] = JSONOutput.value(row.energy)
                    person["workload"] = JSONOutput.value(row.workload)
                    person["recognized_30d"] = JSONOutput.value(row.recognized30d)
                    person["last_one_on_one"] = JSONOutput.value(row.lastOneOnOne?.value)
                }
                return person
            }
        }
        if audience != .team {
            object["signals"] = signals.map {
                ["type": $0.kind.rawValue, "person": $0.person.value, "detail": $0.detail, "evidence": $0.evidence.map(\.value),
                 "status": $0.status.rawValue]
            }
            object["suggestions"] = suggestions
        }
        if audience == .self {
            object["key_points"] = keyPoints.map { points in
                ["person": points.person.value, "name": points.name, "sentences": points.sentences.map {
                    ["text": $0.text, "entry": $0.entry.value, "watch_word": JSONOutput.value($0.watchWord)] as [String: Any]
                }] as [String: Any]
            }
        }
        if audience != .team {
            if let actionItems {
                func counts(_ counts: ActionItemCounts.Counts) -> [String: Int] {
                    ["open": counts.open, "overdue": counts.overdue, "opened": counts.opened, "closed": counts.closed]
                }
                var items: [String: Any] = counts(actionItems.total)
                items["by_owner"] = ["me": counts(actionItems.me), "report": counts(actionItems.report)]
                object["action_items"] = items
            } else {
                object["action_items"] = NSNull()
            }
        }
        return object
    }

    public func json() -> String { JSONOutput.string(jsonObject()) }
}

enum JSON {
    /// Four decimals: enough to recompute the score, without binary noise such as 0.30000000000000004.
    static func rounded(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }
}
