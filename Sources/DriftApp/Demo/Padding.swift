/// `text` left-aligned in a column of `width` characters, followed by at least one space.
public func padded(_ text: String, _ width: Int) -> String {
    text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
}
