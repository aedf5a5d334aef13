/// The words of generated notes: plain and neutral, with no watch word, so the only signals
/// they raise come from the scores, the dates and the recognitions.
enum NoteText {
    static let updates = [
        "Walked through the migration plan for the billing service.",
        "Reviewed the design notes for the new search index.",
        "Talked about the on-call rotation and how handovers went.",
        "Went over the roadmap for the next quarter.",
        "Discussed the code review backlog and who picks up what.",
        "Looked at the last release and what went well.",
        "Planned the pairing sessions with the newer team members.",
        "Talked about the conference talk proposal.",
        "Went through feedback from the last retrospective.",
        "Discussed the test flakiness and a plan to reduce it.",
        "Caught up on the mentoring program.",
        "Reviewed progress on the accessibility fixes.",
    ]
    static let thanks = [
        "Thanks for untangling the deploy pipeline.",
        "Great write-up of the incident review.",
        "Thanks for mentoring the new joiners this sprint.",
        "Shipped the export feature ahead of plan.",
        "Thanks for the careful reviews on the payments change.",
        "Clear and calm demo to the customer team.",
    ]

    static func oneOnOne(_ random: inout SplitMix64) -> String {
        let first = random.pick(updates)
        var second = random.pick(updates)
        if second == first { second = updates[(updates.firstIndex(of: first)! + 1) % updates.count] }
        return "\(first) \(second)\n"
    }

    static func recognition(_ random: inout SplitMix64) -> String {
        random.pick(thanks) + "\n"
    }
}
