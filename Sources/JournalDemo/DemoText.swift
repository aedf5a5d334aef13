/// Word material for demo notes: plain sentences a manager might write after a one-on-one.
/// `{p}` is a project, `{peer}` a colleague's first name, `{tech}` a technology.
enum DemoText {
    static let firstNames = [
        "Alice", "Bob", "Carol", "Dmitri", "Esther", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kemi", "Liam",
        "Mei", "Nikhil", "Olga", "Pablo", "Quinn", "Rosa", "Sven", "Tariq", "Uma", "Victor", "Wen", "Ximena",
        "Yusuf", "Zoë", "Aiko", "Bruno", "Chiara", "Diego", "Elif", "Fatima", "Gustav", "Hana", "Ivan", "Jamal",
        "Kaito", "Leila", "Mateo", "Nadia", "Oskar", "Priya", "Rafael", "Sofia", "Theo", "Valentina", "Wojciech",
        "Yara", "Zainab", "Anders", "Beatriz", "Chen", "Dalia", "Emeka", "Freya", "Gabriel", "Hamid", "Ingrid",
    ]
    static let lastNames = [
        "Chen", "Smith", "Diaz", "Ivanov", "Okafor", "Haddad", "Nakamura", "García", "Müller", "Ångström", "Kowalski",
        "Rossi", "Novak", "Singh", "Kim", "Andersson", "O'Brien", "Silva", "Dubois", "Yilmaz", "Tanaka", "Costa",
        "Mensah", "Larsen", "Fischer", "Moreau", "Petrov", "Santos", "Nguyen", "Hassan", "Bauer", "Lindqvist",
    ]
    static let roles = [
        "Backend Engineer", "Frontend Engineer", "ML Engineer", "Site Reliability Engineer", "Data Engineer",
        "Mobile Engineer", "Senior Engineer", "Staff Engineer", "QA Engineer", "Security Engineer",
    ]
    static let teams = ["platform", "payments", "search", "mobile", "data", "infra", "growth", "identity"]
    static let projects = [
        "the billing migration", "the search relevance work", "the mobile release", "the on-call rotation",
        "the data pipeline rewrite", "the API deprecation", "the onboarding flow", "the latency budget",
        "the feature-flag cleanup", "the ranking experiment", "the cost dashboard", "the auth service",
    ]
    static let tech = ["Postgres", "Kafka", "Kubernetes", "Swift", "Rust", "Bazel", "Terraform", "Spark"]
    static let tags = ["career", "project", "feedback", "wellbeing", "growth", "hiring", "oncall", "process"]

    static let updates = [
        "Walked through progress on {p}; the first milestone is done and the second is in review.",
        "{p} slipped a week because of a dependency on the {tech} upgrade.",
        "We looked at the open questions on {p} and agreed to cut scope rather than move the date.",
        "Demoed the prototype for {p}; the feedback from {peer} was encouraging.",
        "Most of the week went into debugging {tech} in staging.",
        "The design doc for {p} is nearly ready for the wider review.",
        "Paired with {peer} on {p} and unblocked the integration tests.",
        "Talked through the incident from Tuesday and what the follow-ups on {tech} should be.",
    ]
    static let career = [
        "We talked about the path to senior and which parts of {p} would show that scope.",
        "They want more practice presenting; the next architecture review is a good chance.",
        "Interested in mentoring the new hire; I suggested pairing with {peer} first.",
        "We discussed whether to specialise in {tech} or stay broad for another year.",
        "Asked for feedback on the last review cycle; I shared two concrete examples.",
    ]
    static let team = [
        "Collaboration with {peer} is going well after the last retro.",
        "Some friction in code review with {peer}; I will keep an eye on it.",
        "Feels the team meetings run long; suggested a written agenda.",
        "Happy with the new on-call handover notes.",
        "Would like clearer ownership between our team and {peer}'s on {p}.",
    ]
    static let personal = [
        "Taking a few days off next month for a family visit.",
        "Back from vacation and catching up calmly.",
        "Started running again in the mornings and sleeps better.",
        "Moving flats at the end of the month, so a quieter week ahead.",
    ]
    static let learning = [
        "The experiment with {tech} did not improve {p}; we wrote up why and what to try next.",
        "A negative result on {p}, documented carefully enough that nobody repeats it.",
    ]
    /// Sentences that carry a watch word, used now and then.
    static let watchful = [
        "Said they feel exhausted after three weeks of on-call.",
        "Feeling overwhelmed by the number of parallel asks on {p}.",
        "Quite stressed about the deadline for {p}.",
        "Frustrated that the {tech} migration keeps getting blocked by other teams.",
        "Mentioned feeling a bit isolated since {peer} moved teams.",
        "Talked openly about impostor feelings after the staff promotion round.",
        "Thinks the on-call split is unfair to the newer people.",
        "Blocked on access to the {tech} cluster for a week.",
    ]
    static let overloaded = [
        "Working late most days to keep {p} on track; I need to take something off their plate.",
        "Said they are close to burnout and the second project has to wait.",
        "Juggling {p} and the incident follow-ups; the workload is not sustainable.",
        "Exhausted, and said so plainly; we agreed to move the {tech} work to next quarter.",
    ]
    /// A few low weeks, for reasons outside work as often as inside it.
    static let slump = [
        "Seemed flat today; a family situation is taking most of their energy.",
        "Less engaged than usual and did not want to talk about {p} much.",
        "Said the work on {p} feels pointless at the moment and is not sure why.",
        "Quiet and tired; has been sleeping badly for a couple of weeks.",
        "Feels a bit isolated on {p} since {peer} moved teams.",
    ]
    /// The first one-on-one after several were missed.
    static let catchUp = [
        "First one-on-one in weeks after we both had to cancel; we spent most of it catching up.",
        "We had skipped the last few one-on-ones, so we went through everything that piled up.",
    ]
    static let leaving = [
        "Hinted that they have an interview elsewhere; wants more ownership than we can offer right now.",
        "Told me they are leaving at the end of next month; we planned the handover of {p}.",
        "Has been thinking about whether to quit or change teams.",
    ]
    static let myActions = [
        "@me intro to {peer} about {p}", "@me ask for headcount on {p}", "@me review the {p} doc",
        "@me book the architecture review slot", "@me follow up on the {tech} access request",
        "@me share the promotion criteria", "@me clarify ownership of {p} with {peer}",
    ]
    static let theirActions = [
        "draft the RFC for {p}", "write up the {tech} findings", "send the retro notes", "pair with {peer} on {p}",
        "prepare the demo for {p}", "update the runbook for {tech}", "pick a conference talk to submit",
    ]
    static let kudos: [(String, String)] = [
        ("shipping", "Shipped {p} a week early and kept everyone informed along the way."),
        ("quality", "Found and fixed a subtle data race in the {tech} client before it reached production."),
        ("learning", "Reported the negative result of the {tech} experiment in detail; saved the team two weeks."),
        ("helping", "Spent the afternoon unblocking {peer} on {p} without being asked."),
        ("leadership", "Ran the incident review for {p} calmly and made sure nobody was blamed."),
        ("customer", "Turned a frustrated customer report into a clear fix for {p}."),
        ("craft", "The refactor of the {tech} layer made {p} much easier to change."),
        ("learning", "Wrote up why the prototype for {p} failed and what it taught us."),
        ("helping", "Onboarded the new hire with patience and excellent notes."),
    ]

    static func fill(_ template: String, project: String, peer: String, tech: String) -> String {
        // Split on the placeholders by hand: Foundation's replacingOccurrences is slow on Linux.
        var result = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            result += rest[..<open]
            switch rest[rest.index(after: open)..<close] {
            case "p": result += project
            case "peer": result += peer
            case "tech": result += tech
            default: result += rest[open...close]
            }
            rest = rest[rest.index(after: close)...]
        }
        result += rest
        // A sentence that starts with a placeholder ("the billing migration slipped") starts with a capital.
        guard let first = result.first, first.isLowercase else { return result }
        return first.uppercased() + result.dropFirst()
    }
}
