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
            .triggering("""
                FROM golang:1.22 AS build
                WORKDIR /src
                COPY . .
                RUN CGO_ENABLED=0 go build -o /out/report .
                ↓FROM scratch
                COPY --from=build /out/report /report
                """, context: ["main.go": "package main\n\nimport \"time\"\n\nfunc main() { time.LoadLocation(\"Europe/Paris\") }\n"],
                note: "The program asks for a zone by name."),
            .passing("""
                FROM golang:1.22 AS build
                WORKDIR /src
                COPY . .
                RUN CGO_ENABLED=0 go build -o /out/report .
                FROM scratch
                COPY --from=build /out/report /report
                """, context: ["main.go": "package main\n\nimport (\n\t\"time\"\n\t_ \"time/tzdata\"\n)\n\nfunc main() { time.LoadLocation(\"Europe/Paris\") }\n"],
                note: "The zone database is compiled in."),
        ])

    func check(_ build: BuildModel, _ findings: inout [Finding]) {
        guard let final = build.finalStage, final.traits?.hasTimeZoneData == false else { return }
        // A Go program may carry its own copy of the database.
        if let context = build.context, context.goImports.contains("time/tzdata") { return }
        if final.artifacts.contains(where: { $0.builtBy.original.containsBytes("timetzdata") }) { return }
        if let zone = final.environment["TZ"], zone.containsBytes("/"), let setter = final.environmentSetBy["TZ"] {
            findings.append(finding(setter, """
                TZ=\(zone), but \(build.describeBase(of: final)) has no /usr/share/zoneinfo: programs will use UTC \
                instead. Install tzdata or copy /usr/share/zoneinfo from a build stage.
                """))
        } else if let context = build.context, !build.shippedArtifacts(.nativeBinary).filter({ $0.artifact.tool.hasPrefix("go ") }).isEmpty,
                  context.files.contains(where: { $0.key.hasSuffix(".go") && $0.value.containsBytes("time.LoadLocation(") }) {
            findings.append(finding(final.from, """
                The Go code loads time zones (time.LoadLocation), but \(build.describeBase(of: final)) has no \
                /usr/share/zoneinfo: every zone but UTC fails with "unknown time zone". Copy /usr/share/zoneinfo from a \
                build stage with tzdata, or embed the database with import _ "time/tzdata".
                """))
        }
    }
}
