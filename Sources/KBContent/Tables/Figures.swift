import Foundation
import KBDockerfile
import KBRules

/// One image size with where it comes from: a recording made by `kb record`, or a figure
/// cited from elsewhere. Every number on the site is one of these.
public struct SizeFigure: Sendable, Equatable {
    public let slug: String
    public let bytes: Int
    /// "recorded with buildah 1.28.2 on linux/amd64, 2026-11-28" or "cited from …".
    public let provenance: String
    public let isCited: Bool
    public let sourceURL: String?
    public let sourceTitle: String?
}

/// Resolves example slugs to figures, with the error a table or an inline figure reports.
public struct FigureResolver: Sendable {
    let examples: ExampleCatalog

    public init(_ examples: ExampleCatalog) { self.examples = examples }

    public enum Problem: Error, Equatable {
        case unknownExample(String)
        case missing(String)
        case stale(String)
        case unreadable(String)

        public var message: String {
            switch self {
            case let .unknownExample(slug): "there is no example '\(slug)' under Examples/"
            case let .missing(slug): "example '\(slug)' has no recorded result: run `kb record \(slug)` (or cite a source in its results.json)"
            case let .stale(slug): "the recording of '\(slug)' is stale (its build context changed): run `kb record \(slug)`"
            case let .unreadable(slug): "the results of '\(slug)' cannot be read (see its results.json problems)"
            }
        }

        public var check: ContentCheck {
            switch self {
            case .unknownExample: .unknownExample
            case .missing, .unreadable: .missingResult
            case .stale: .staleResult
            }
        }
    }

    public func figure(_ slug: String) -> Result<SizeFigure, Problem> {
        guard let example = examples[slug] else { return .failure(.unknownExample(slug)) }
        switch example.recordingStatus {
        case let .current(recording):
            return .success(SizeFigure(
                slug: slug, bytes: recording.image.sizeBytes,
                provenance: "recorded with \(recording.engine.name) \(recording.engine.version) on \(recording.platform), \(String(recording.date.prefix(10)))",
                isCited: false, sourceURL: nil, sourceTitle: nil))
        case let .cited(cited):
            return .success(SizeFigure(
                slug: slug, bytes: cited.sizeBytes,
                provenance: "cited from \(cited.source.title), \(cited.source.date)" + (cited.note.map { " (\($0))" } ?? ""),
                isCited: true, sourceURL: cited.source.url, sourceTitle: cited.source.title))
        case .stale:
            return .failure(.stale(slug))
        case .missing:
            return .failure(example.results == nil && example.diagnostics.contains { $0.rule == ExampleCheck.malformedResults.id || $0.rule == ExampleCheck.invalidResults.id } ? .unreadable(slug) : .missing(slug))
        case .unknown:
            return .failure(.unreadable(slug))
        }
    }
}

/// Sizes and ratios as people read them.
public enum SizeFormat {
    /// Decimal units, as `docker images` prints them: `940 kB`, `1.14 GB`.
    public static func bytes(_ value: Int) -> String {
        let units = ["B", "kB", "MB", "GB", "TB"]
        var size = Double(value)
        var unit = 0
        while size >= 1000 && unit < units.count - 1 {
            size /= 1000
            unit += 1
        }
        if unit == 0 { return "\(value) B" }
        let digits = size >= 100 ? 0 : (size >= 10 ? 1 : 2)
        var text = String(format: "%.\(digits)f", size)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return "\(text) \(units[unit])"
    }

    /// `41× smaller`, `2.5× larger`, `same size`.
    public static func ratio(_ size: Int, baseline: Int) -> String {
        guard size > 0, baseline > 0 else { return "n/a" }
        if size == baseline { return "same size" }
        let factor = size < baseline ? Double(baseline) / Double(size) : Double(size) / Double(baseline)
        let text = factor >= 10 ? String(format: "%.0f", factor) : String(format: "%.1f", factor)
        return "\(text)× \(size < baseline ? "smaller" : "larger")"
    }

    /// `97.6% saved` (or `40% more`).
    public static func saving(_ size: Int, baseline: Int) -> String {
        guard baseline > 0 else { return "n/a" }
        let change = (1 - Double(size) / Double(baseline)) * 100
        if abs(change) < 0.05 { return "0%" }
        // Whole percents read best, but 99.8% must not round up to a 100% that was not saved.
        let text = abs(change) >= 10 && abs(change) < 99.5 ? String(format: "%.0f", abs(change)) : String(format: "%.1f", abs(change))
        return change > 0 ? "\(text)% saved" : "\(text)% more"
    }
}
