import KBMarkdown

/// The theme's templates, parsed once, and the renderer that fills them with a page's values.
/// `{{name}}` is escaped with kb's `HTML.escape`; `{{{name}}}` and `{{&name}}` are not.
struct TemplateLibrary: Sendable {
    private let templates: [String: Template]

    init(_ templates: [String: Template]) { self.templates = templates }

    /// The page made from template `name` and `values`; nil when there is no such template.
    func render(_ values: [String: Any], template name: String) -> String? {
        render(values.mapValues(TemplateValue.init), template: name)
    }

    /// The same, from values already typed (the article pages, made by the ten thousand).
    func render(_ values: [String: TemplateValue], template name: String) -> String? {
        guard let template = templates[name] else { return nil }
        var renderer = Renderer(library: self, stack: [.object(values)])
        var out = ""
        out.reserveCapacity(16 * 1024)
        renderer.render(template, scope: Scope(), into: &out)
        return out
    }

    /// What a partial or block inherits from where it is used.
    fileprivate struct Scope {
        /// Added at the start of every line of output but the first (a standalone partial's indentation).
        var indentation: String?
        /// Blocks overridden by the parents being rendered; the outermost override wins.
        var overrides: [String: Template]?
    }

    fileprivate struct Renderer {
        let library: TemplateLibrary
        /// The values sections have entered, innermost last.
        var stack: [TemplateValue]

        mutating func render(_ template: Template, scope: Scope, into out: inout String) {
            guard let indentation = scope.indentation, !indentation.isEmpty else {
                for token in template.tokens { render(token, scope: scope, into: &out) }
                return
            }
            // Indented: each token's output that starts a new line (of this template's own
            // output) gets the indentation first.
            var own = ""
            for token in template.tokens {
                var piece = ""
                render(token, scope: scope, into: &piece)
                if !piece.isEmpty, own.utf8.last == 0x0A, !own.hasSuffix("\r\n") { own += indentation }
                own += piece
            }
            out += own
        }

        private mutating func render(_ token: Template.Token, scope: Scope, into out: inout String) {
            switch token {
            case let .text(text):
                out += text

            case let .variable(name, escaped):
                guard let value = lookup(name) else { return }
                let text: String
                switch value {
                case let .text(string): text = string
                case let .flag(flag): text = flag ? "true" : "false"
                case .list, .object: return
                }
                out += escaped ? HTML.escape(text) : text

            case let .section(name, body, inverted):
                let value = lookup(name)
                if inverted {
                    if isFalsy(value) { render(body, scope: scope, into: &out) }
                    return
                }
                switch value {
                case nil, .flag(false)?: return
                case .flag(true)?: render(body, scope: scope, into: &out)
                case let .list(items)?:
                    for item in items { within(item) { $0.render(body, scope: scope, into: &out) } }
                case let value?:
                    within(value) { $0.render(body, scope: scope, into: &out) }
                }

            case let .partial(name, indentation, overrides):
                guard let template = library.templates[name] else { return }
                var inner = scope
                if let indentation { inner.indentation = (scope.indentation ?? "") + indentation }
                if let overrides {
                    inner.overrides = scope.overrides.map { $0.merging(overrides) { outer, _ in outer } } ?? overrides
                }
                render(template, scope: inner, into: &out)

            case let .block(name, fallback, indentation):
                var inner = scope
                inner.indentation = (scope.indentation ?? "") + indentation
                render(scope.overrides?[name] ?? fallback, scope: inner, into: &out)

            case .blockDefinition:
                // Only ever inside a parent's override list, never rendered in place.
                return
            }
        }

        private func isFalsy(_ value: TemplateValue?) -> Bool {
            switch value {
            case nil, .flag(false)?: return true
            case let .list(items)?: return items.isEmpty
            default: return false
            }
        }

        private mutating func within(_ value: TemplateValue, _ body: (inout Renderer) -> Void) {
            stack.append(value)
            body(&self)
            stack.removeLast()
        }

        /// `.` is the current value; `a.b` finds `a` in the innermost value that has it, then
        /// `b` in that (and nowhere else); `.a` looks in the current value only.
        private func lookup(_ name: Template.Name) -> TemplateValue? {
            guard let first = name.components.first else { return stack.last }
            var found: TemplateValue?
            if name.fromCurrent {
                found = stack.last?.child(first)
            } else {
                for value in stack.reversed() {
                    if let child = value.child(first) { found = child; break }
                }
            }
            for component in name.components.dropFirst() {
                found = found?.child(component)
            }
            return found
        }
    }
}
