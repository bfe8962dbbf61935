import Foundation
import KBContent
import KBMarkdown

/// A computed table as an accessible HTML table with an inline SVG bar chart beside it,
/// and footnotes that give the provenance of every figure.
enum SizeTableMarkup {
    static func render(_ table: SizeTable, id: String, root: String) -> RawHTML {
        var html = "<figure class=\"size-table\" id=\"\(HTML.escape(id))\">\n"
        html += "<div class=\"size-table-body\">\n<table>\n"
        if !table.caption.isEmpty { html += "<caption>\(HTML.escape(table.caption))</caption>\n" }
        html += "<thead><tr>"
        for header in table.headers {
            html += "<th scope=\"col\"\(header.isNumeric ? " class=\"num\"" : "")>\(HTML.escape(header.title))</th>"
        }
        html += "</tr></thead>\n<tbody>\n"
        for row in table.rows {
            html += "<tr>"
            for (index, cell) in row.enumerated() {
                var text = HTML.escape(cell.text)
                if let slug = cell.exampleSlug { text = "<a href=\"\(root)examples/\(HTML.escape(slug)).html\">\(text)</a>" }
                if let note = cell.note { text += "<sup><a href=\"#\(HTML.escape(id))-note-\(note)\" aria-label=\"source \(note)\">\(note)</a></sup>" }
                let tag = index == 0 ? "th scope=\"row\"" : "td"
                let close = index == 0 ? "th" : "td"
                html += "<\(tag)\(cell.isNumeric ? " class=\"num\"" : "")>\(text)</\(close)>"
            }
            html += "</tr>\n"
        }
        html += "</tbody>\n</table>\n"
        html += chart(table)
        html += "</div>\n<ol class=\"size-table-notes\">\n"
        for (index, note) in table.notes.enumerated() {
            var text = HTML.escape(note.text)
            if let url = note.url, let safe = safeURL(url) { text += " <a href=\"\(HTML.escape(safe))\">\(HTML.escape(url))</a>" }
            html += "<li id=\"\(HTML.escape(id))-note-\(index + 1)\">\(text)</li>\n"
        }
        html += "</ol>\n</figure>"
        return RawHTML(trustedMarkup: html)
    }

    /// Horizontal bars, one per row; a logarithmic scale when the sizes span more than two
    /// orders of magnitude, so that the small ones stay visible.
    static func chart(_ table: SizeTable) -> String {
        let bars = table.bars.compactMap { bar in bar.bytes.map { (label: bar.label, bytes: $0) } }.filter { $0.bytes > 0 }
        guard bars.count >= 2, let largest = bars.map(\.bytes).max(), let smallest = bars.map(\.bytes).min() else { return "" }
        let logarithmic = Double(largest) / Double(smallest) > 100
        let rowHeight = 22, labelWidth = 0, width = 320, barArea = 230
        let height = bars.count * rowHeight + (logarithmic ? 18 : 4)
        func length(_ bytes: Int) -> Double {
            if logarithmic {
                // From a tenth of the smallest up to the largest, on a log scale.
                let low = log10(Double(smallest) / 10), high = log10(Double(largest))
                return max(2, (log10(Double(bytes)) - low) / (high - low) * Double(barArea))
            }
            return max(2, Double(bytes) / Double(largest) * Double(barArea))
        }
        let description = bars.map { "\($0.label): \(SizeFormat.bytes($0.bytes))" }.joined(separator: "; ")
        var svg = "<svg class=\"size-chart\" viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-label=\"\(HTML.escape("Bar chart\(logarithmic ? " (logarithmic scale)" : ""): \(description)"))\">\n"
        for (index, bar) in bars.enumerated() {
            let y = index * rowHeight + 2
            let barLength = String(format: "%.1f", length(bar.bytes))
            svg += "<rect class=\"bar\" x=\"\(labelWidth)\" y=\"\(y)\" width=\"\(barLength)\" height=\"16\" rx=\"2\"><title>\(HTML.escape(bar.label))</title></rect>"
            svg += "<text x=\"\(String(format: "%.1f", Double(labelWidth) + length(bar.bytes) + 4))\" y=\"\(y + 12)\">\(HTML.escape(SizeFormat.bytes(bar.bytes)))</text>\n"
        }
        if logarithmic {
            svg += "<text class=\"scale-note\" x=\"0\" y=\"\(height - 4)\">logarithmic scale</text>\n"
        }
        svg += "</svg>\n"
        return svg
    }

    /// Only http(s) addresses become links; anything else is shown as text.
    static func safeURL(_ url: String) -> String? {
        let lower = url.lowercased()
        return lower.hasPrefix("https://") || lower.hasPrefix("http://") ? url : nil
    }
}
