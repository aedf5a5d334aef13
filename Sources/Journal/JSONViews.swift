import Foundation
import JournalModel

/// The `--json` shapes. Keys are snake_case and always present (null when unknown), so scripts
/// can rely on them.
public enum JSONOutput {
    /// One pretty-printed JSON document with sorted keys.
    public static func string(_ object: Any) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object,
                                                     options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]) else {
            return "null"
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// `null` for nil, so a key is always present.
    public static func value(_ optional: Any?) -> Any { optional ?? NSNull() }
}

extension Entry {
    public func jsonObject(includeBody: Bool = true) -> [String: Any] {
        var object: [String: Any] = [
            "id": id.value, "kind": kind.rawValue, "date": date.text, "path": path,
            "author": JSONOutput.value(author), "tags": tags, "people": people.map(\.value),
            "action_items": actionItems.map { $0.jsonObject(entry: self) },
        ]
        if includeBody { object["body"] = body }
        switch details {
        case .oneOnOne(let details):
            object["person"] = details.person.value
            object["mood"] = JSONOutput.value(details.mood)
            object["energy"] = JSONOutput.value(details.energy)
            object["workload"] = JSONOutput.value(details.workload)
            object["private"] = details.isPrivate
        case .recognition(let details):
            object["category"] = JSONOutput.value(details.category)
            object["visibility"] = details.visibility.rawValue
        }
        return object
    }
}

extension ActionItem {
    public func jsonObject(entry: Entry) -> [String: Any] {
        [
            "ref": reference, "entry": entryID.value, "number": number, "done": isDone, "text": text,
            "owner": owner.description, "due": JSONOutput.value(due?.description), "entry_date": entry.date.text,
            "people": entry.people.map(\.value), "line": line, "path": entry.path,
        ]
    }
}

extension Person {
    public func jsonObject(defaultCadence: Cadence) -> [String: Any] {
        let cadence = cadence(default: defaultCadence)
        return [
            "slug": slug.value, "name": name, "role": JSONOutput.value(role), "team": JSONOutput.value(team),
            "started": JSONOutput.value(started?.description), "cadence": cadence.description,
            "cadence_days": cadence.days, "status": status.rawValue, "left": JSONOutput.value(left?.description),
            "path": path,
        ]
    }
}

extension DueStatus {
    public func jsonObject() -> [String: Any] {
        [
            "slug": person.slug.value, "name": person.name, "cadence": cadence.description, "cadence_days": cadence.days,
            "last_one_on_one": JSONOutput.value(last?.date.text), "last_entry": JSONOutput.value(last?.id.value),
            "days_since_last": JSONOutput.value(daysSinceLast), "due_in_days": JSONOutput.value(dueInDays),
            "status": state.rawValue,
        ]
    }
}
