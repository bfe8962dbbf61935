/// A value as templates see it. Pages build their values as `[String: Any]` literals; they
/// are turned into this once per page, so that rendering looks names up in plain
/// dictionaries instead of asking the runtime what each value is at every lookup.
enum TemplateValue: Sendable {
    case text(String)
    case flag(Bool)
    case list([TemplateValue])
    case object([String: TemplateValue])

    init(_ value: Any) {
        switch value {
        case let converted as TemplateValue: self = converted
        case let text as String: self = .text(text)
        case let flag as Bool: self = .flag(flag)
        case let object as [String: Any]: self = .object(object.mapValues(TemplateValue.init))
        case let objects as [[String: Any]]: self = .list(objects.map { .object($0.mapValues(TemplateValue.init)) })
        case let items as [Any]: self = .list(items.map(TemplateValue.init))
        // Numbers and anything else print as Swift prints them (`2`).
        default: self = .text(String(describing: value))
        }
    }

    /// The named child of an object; other values have none.
    func child(_ name: String) -> TemplateValue? {
        if case let .object(fields) = self { return fields[name] }
        return nil
    }
}
