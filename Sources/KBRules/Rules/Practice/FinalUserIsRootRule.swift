import KBDockerfile

struct FinalUserIsRootRule: Rule {
    static let description = RuleDescription(
        id: "KB309", name: "final-user-is-root", severity: .info, category: .practice,
        summary: "The final image runs its program as root.",
        rationale: """
            Without a USER instruction, or after `USER root`, the container's process runs as root (user 0) \
            unless whoever starts it says otherwise. Container isolation makes that less dangerous than root \
            on a host, but a compromised process that is root inside the container has the most to work \
            with: every file in the image, and any way out the runtime leaves open. Set an unprivileged user \
            for the final stage after the steps that need root. A numeric `USER 10001:10001` works in every \
            image, scratch included, since it needs no entry in /etc/passwd; a named user must exist in the \
            image. kb reports this for final stages on scratch or on base images it knows (which do not set a \
            user of their own); for other bases the base may already set one.
            """,
        article: "static-and-dynamic-linking.md#no-etcpasswd-or-etcgroup",
        equivalents: ["DL3002"],
        examples: [
            .triggering("""
                ↓FROM debian:bookworm-slim
                COPY app /usr/local/bin/app
                CMD ["app"]
                """, note: "No USER at all."),
            .triggering("""
                FROM alpine:3.20
                RUN adduser -D app
                USER app
                COPY app /usr/local/bin/app
                ↓USER root
                CMD ["app"]
                """),
            .passing("""
                FROM scratch
                COPY app /app
                USER 10001:10001
                ENTRYPOINT ["/app"]
                """),
            .passing("""
                FROM gcr.io/distroless/static-debian12:nonroot
                COPY app /app
                ENTRYPOINT ["/app"]
                """, note: "The nonroot distroless images set a user themselves."),
            .passing("""
                FROM registry.example.com/team/base:1.4
                COPY app /app
                """, note: "An image kb does not know may set a user."),
        ])

    func check(_ build: BuildModel, _ findings: inout [Finding]) {
        guard let final = build.finalStage, let root = build.lineage(of: final).last else { return }
        switch root.base {
        case .scratch:
            break
        case let .image(reference):
            guard root.baseTraits != nil, !reference.tagText.containsBytes("nonroot") else { return }
        default:
            return
        }
        if let user = final.user {
            let name = String(user.value.split(separator: ":").first ?? "")
            guard name == "root" || name == "0" else { return }
            findings.append(finding(at: user.instruction.range, """
                the final image runs as root (USER \(user.value)): end with an unprivileged USER, such as USER 10001:10001, after \
                the steps that need root
                """))
        } else {
            findings.append(finding(at: final.from.range, """
                the final image runs as root, since neither \(final.mention) nor its base sets a USER: add USER 10001:10001 \
                (a numeric ID needs no /etc/passwd entry) after the steps that need root
                """))
        }
    }
}
