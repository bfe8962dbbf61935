struct NamedUserWithoutPasswdRule: Rule {
    static let description = RuleDescription(
        id: "KB105", name: "named-user-without-passwd", severity: .error, category: .minimalImage,
        summary: "`USER name` in an image that has no /etc/passwd to look the name up in.",
        rationale: """
            The container runtime turns a user name into numeric IDs by reading /etc/passwd (and \
            /etc/group) inside the image. An empty image has neither file, so `USER app` makes the \
            container fail at start with "unable to find user app: no matching entries in passwd file". \
            Use numeric IDs (`USER 10001:10001`), which need no lookup, or copy a passwd and group file \
            made in a build stage.
            """,
        article: "static-and-dynamic-linking.md",
        examples: [
            .triggering("""
                FROM scratch
                COPY app /app
                ↓USER app
                ENTRYPOINT ["/app"]
                """),
            .passing("""
                FROM scratch
                COPY app /app
                USER 10001:10001
                ENTRYPOINT ["/app"]
                """),
            .passing("""
                FROM debian:bookworm-slim AS users
                RUN useradd --uid 10001 app
                FROM scratch
                COPY --from=users /etc/passwd /etc/group /etc/
                COPY app /app
                USER app
                """),
            .passing("""
                FROM alpine:3.20 AS rootfs
                RUN mkdir -p /rootfs/etc && echo "app:x:10001:10001::/:/sbin/nologin" > /rootfs/etc/passwd
                FROM scratch
                COPY --from=rootfs /rootfs /
                COPY app /app
                USER app
                """, note: "A root file system assembled in a build stage and copied onto / brings its passwd file."),
        ])

    func check(_ build: BuildModel, _ findings: inout [Finding]) {
        guard let final = build.finalStage, final.traits?.hasPasswd == false, let user = final.user else { return }
        let name = String(user.value.split(separator: ":").first ?? "")
        guard !name.isEmpty, !name.allSatisfy(\.isNumber), !name.hasPrefix("$") else { return }
        findings.append(finding(user.instruction, """
            USER \(name): \(build.describeBase(of: final)) has no /etc/passwd, so the name cannot be resolved and \
            the container will not start. Use numeric IDs (USER 10001:10001) or copy /etc/passwd and /etc/group \
            from a build stage.
            """))
    }
}
