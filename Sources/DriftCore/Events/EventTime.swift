/// An event time: milliseconds since the Unix epoch, UTC. Parsed from RFC 3339 strings
/// (`2026-11-22T10:00:00.123Z`, `…+02:00`) or taken from epoch-millisecond numbers, as the event contract allows.
public struct EventTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var millisecondsSinceEpoch: Int64

    public init(millisecondsSinceEpoch: Int64) {
        self.millisecondsSinceEpoch = millisecondsSinceEpoch
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.millisecondsSinceEpoch < rhs.millisecondsSinceEpoch }

    /// Parses an RFC 3339 date-time (`T` or space separator, optional fraction, `Z` or ±hh:mm offset).
    public init?(rfc3339 text: String) {
        var text = text
        guard let time = text.withUTF8({ EventTime(rfc3339: $0) }) else { return nil }
        self = time
    }

    /// The same from the UTF-8 bytes of the text (the event scanner's: no string made per event).
    public init?(rfc3339 bytes: UnsafeBufferPointer<UInt8>) {
        var index = 0
        func digits(_ count: Int) -> Int? {
            guard index + count <= bytes.count else { return nil }
            var value = 0
            for position in index..<(index + count) {
                let byte = bytes[position]
                guard byte >= 48 && byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            index += count
            return value
        }
        func expect(_ allowed: UInt8, or other: UInt8? = nil, or third: UInt8? = nil) -> Bool {
            guard index < bytes.count, bytes[index] == allowed || bytes[index] == other || bytes[index] == third
            else { return false }
            index += 1
            return true
        }
        guard let year = digits(4), expect(45), let month = digits(2), expect(45), let day = digits(2),
            expect(84, or: 116, or: 32), let hour = digits(2), expect(58), let minute = digits(2), expect(58),
            let second = digits(2),
            (1...12).contains(month), day >= 1, day <= EventTime.daysIn(month: month, year: year),
            hour < 24, minute < 60, second <= 60
        else { return nil }
        var milliseconds = 0
        if index < bytes.count, bytes[index] == 46 {  // '.'
            index += 1
            var scale = 100
            let start = index
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                milliseconds += Int(bytes[index] - 48) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        var offsetMinutes = 0
        if expect(90, or: 122) {  // 'Z' / 'z'
        } else if index < bytes.count, bytes[index] == 43 || bytes[index] == 45 {
            let sign = bytes[index] == 45 ? -1 : 1
            index += 1
            guard let offsetHour = digits(2), expect(58), let offsetMinute = digits(2), offsetHour < 24,
                offsetMinute < 60
            else { return nil }
            offsetMinutes = sign * (offsetHour * 60 + offsetMinute)
        } else {
            return nil
        }
        guard index == bytes.count else { return nil }
        let days = EventTime.daysFromCivil(year: year, month: month, day: day)
        let seconds =
            Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + Swift.min(second, 59))
            - Int64(offsetMinutes * 60)
        millisecondsSinceEpoch = seconds * 1000 + Int64(milliseconds)
    }

    /// RFC 3339 in UTC with milliseconds: `2026-11-22T10:00:00.123Z`.
    public var rfc3339: String {
        let (days, milliOfDay) = millisecondsSinceEpoch.floorDividedBy(86_400_000)
        let (year, month, day) = EventTime.civilFromDays(Int(days))
        let seconds = Int(milliOfDay / 1000)
        let millis = Int(milliOfDay % 1000)
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: Swift.max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(seconds / 3600, 2)):\(pad(seconds / 60 % 60, 2)):"
            + "\(pad(seconds % 60, 2)).\(pad(millis, 3))Z"
    }

    public var description: String { rfc3339 }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The inverse of `daysFromCivil` (Hinnant's `civil_from_days`).
    static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

extension Int64 {
    /// Floor division with a non-negative remainder, for times before 1970 too.
    func floorDividedBy(_ divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        let quotient = self / divisor - ((self % divisor != 0 && (self < 0) != (divisor < 0)) ? 1 : 0)
        return (quotient, self - quotient * divisor)
    }
}
