struct TimeZoneWithoutZoneinfoRule: Rule {
    static let description = RuleDescription(
        id: "KB111", name: "timezone-without-zoneinfo", severity: .warning, category: .minimalImage,
        summary: "`TZ` names a zone in an image without the time-zone database.",
        rationale: """
            Time-zone rules live in /usr/share/zoneinfo, from the tzdata package. Debian and CentOS \
            images include it; Alpine, Ubuntu and scratch do not. With `TZ=Europe/Paris` and no database, \
            programs silently fall back to UTC: `TZ=Europe/Paris date` prints UTC times. Install tzdata, \
            copy /usr/share/zoneinfo from a build stage, or embed the database in a Go program \
            (`import _ "time/tzdata"` or `-tags timetzdata`).
            """,
        article: "static-and-dynamic-linking.md",
        examples: [
            .triggering("""
                FROM alpine:3.20
                ↓ENV TZ=Europe/Paris
                COPY report /report
                CMD ["/report"]
                """),
            .passing("""
                FROM alpine:3.20
                RUN apk add --no-cache tzdata
                ENV TZ=Europe/Paris
                COPY report /report
                CMD ["/report"]
                """),
            .passing("""
                FROM debian:bookworm AS zones
                RUN apt-get update && apt-get install -y --no-install-recommends tzdata && rm -rf /var/lib/apt/lists/*
                FROM scratch
                COPY --from=zones /usr/share/zoneinfo /usr/share/zoneinfo
                ENV TZ=Europe/Paris
                COPY report /report
                """),
            .passing("""
                FROM alpine:3.20
                ENV TZ=UTC
                """, note: "UTC needs no database."),
        ])

    func check(_ build: BuildModel, _ findings: inout [Finding]) {
        guard let final = build.finalStage, final.traits?.hasTimeZoneData == false,
              let zone = final.environment["TZ"], zone.contains("/"), let setter = final.environmentSetBy["TZ"] else { return }
        // A Go program may carry its own copy of the database.
        if let context = build.context, context.goImports.contains("time/tzdata") { return }
        if final.artifacts.contains(where: { $0.builtBy.original.contains("timetzdata") }) { return }
        findings.append(finding(setter, """
            TZ=\(zone), but \(build.describeBase(of: final)) has no /usr/share/zoneinfo: programs will use UTC \
            instead. Install tzdata or copy /usr/share/zoneinfo from a build stage.
            """))
    }
}
