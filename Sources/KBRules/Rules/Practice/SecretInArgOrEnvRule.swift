import KBDockerfile

struct SecretInArgOrEnvRule: Rule {
    static let description = RuleDescription(
        id: "KB307", name: "secret-in-arg-or-env", severity: .warning, category: .practice, scope: .instruction,
        summary: "An ARG or ENV whose name says it holds a password, a token or a key.",
        rationale: """
            ENV values are part of the image configuration: anyone who can pull the image reads them with \
            `docker inspect`. ARG values do not reach the configuration, but they are recorded in the \
            build history and the provenance of the image, and in the environment of every RUN after them. \
            Neither is a place for a password, an API token or a private key. A secret needed at build \
            time belongs in a secret mount, `RUN --mount=type=secret,id=npm_token …`, which is visible to that \
            one RUN and never stored; one needed at run time is given to the container when it starts. \
            kb reads the name the way BuildKit's SecretsUsedInArgOrEnv check does (words such as \
            PASSWORD, SECRET, TOKEN, API_KEY, PRIVATE_KEY, CREDENTIALS), but leaves alone names that \
            describe where a secret is rather than the secret (`…_FILE`, `…_PATH`, `…_URL`), and public ones.
            """,
        equivalents: ["SecretsUsedInArgOrEnv"],
        examples: [
            .triggering("""
                FROM node:20-slim
                ARG ↓NPM_TOKEN
                ENV ↓DB_PASSWORD=changeme
                """),
            .passing("""
                FROM postgres:16
                ENV POSTGRES_PASSWORD_FILE=/run/secrets/db_password
                ARG GPG_PUBLIC_KEY
                ENV TOKEN_URL=https://auth.example.com/token
                """, note: "Where a secret is kept, and public keys, are not secrets."),
            .passing("""
                # syntax=docker/dockerfile:1
                FROM node:20-slim
                RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci
                """, note: "A secret mount keeps the token out of the image."),
        ])

    /// Words that make a name a secret.
    static let secretWords: Set<String> = ["password", "passwd", "pword", "passphrase", "secret", "token", "apikey", "credential", "credentials"]
    /// Two-word secrets.
    static let secretPairs: [(String, String)] = [("api", "key"), ("private", "key"), ("secret", "key"), ("access", "key"), ("auth", "key"), ("signing", "key"), ("encryption", "key")]
    /// Last words that make it about a secret, not the secret itself.
    static let descriptiveEndings: Set<String> = ["file", "path", "dir", "url", "uri", "endpoint", "name", "id", "type", "length", "header", "env", "enabled", "required", "location"]

    func check(_ build: BuildModel, _ findings: inout [Finding]) {
        for instruction in build.instructions where instruction.kind == .arg || instruction.kind == .env {
            for pair in instruction.keyValuePairs where SecretInArgOrEnvRule.isSecretName(pair.key) {
                let value = pair.rawValue ?? ""
                if value.hasPrefix("/run/secrets/") { continue }
                let keyword = instruction.keyword.uppercased()
                let exposure = keyword == "ENV"
                    ? "stored in the image configuration, readable by anyone who can pull the image"
                    : "recorded in the build history and visible to every later RUN"
                findings.append(finding(at: instruction.sourceRange(ofWord: pair.key) ?? instruction.sourceRange(ofText: pair.key) ?? instruction.range, """
                    \(keyword) \(pair.key) looks like a secret, and its value is \(exposure): use a secret mount \
                    (RUN --mount=type=secret,id=\(pair.key.lowercased())) at build time, or pass it when the container starts
                    """))
            }
        }
    }

    /// `DB_PASSWORD`, `npmToken`, `API_KEY` yes; `PASSWORD_FILE`, `GPG_PUBLIC_KEY`, `GPG_KEY` no.
    static func isSecretName(_ name: String) -> Bool {
        let words = splitWords(name)
        guard let last = words.last, !words.contains("public"), !descriptiveEndings.contains(last) else { return false }
        if words.contains(where: secretWords.contains) { return true }
        // `DB_PASS`, `MYSQL_PASS`: only as the last word.
        if last == "pass" && words.count > 1 { return true }
        return zip(words, words.dropFirst()).contains { pair in secretPairs.contains { $0 == pair } }
    }

    /// `DB_PASSWORD` → db, password; `npmAuthToken` → npm, auth, token.
    static func splitWords(_ name: String) -> [String] {
        var words: [String] = []
        var current = ""
        var previousIsLower = false
        for character in name {
            if character == "_" || character == "-" || character == "." {
                if !current.isEmpty { words.append(current) }
                current = ""
                previousIsLower = false
                continue
            }
            if character.isUppercase && previousIsLower {
                words.append(current)
                current = ""
            }
            current.append(character)
            previousIsLower = character.isLowercase || character.isNumber
        }
        if !current.isEmpty { words.append(current) }
        return words.map { $0.lowercased() }
    }
}
