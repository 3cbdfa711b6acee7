/// Types the encoder writes directly as one scalar, mirroring Yams's `YAMLEncodable` boxing.
protocol YAMLScalarRepresentable {
    var yamlScalar: YAMLScalar { get }
}

extension String: YAMLScalarRepresentable {
    /// Left unstyled when it would read back as a string; otherwise single-quoted so that "true",
    /// "123", "null" or "" survive a round trip. A line break resets the style (Yams's
    /// `newLineScalarStyle` default), letting the emitter pick a multi-line form.
    var yamlScalar: YAMLScalar {
        var scalar = YAMLScalar(self)
        if scalar.resolvedTag != YAMLTag.str {
            scalar = YAMLScalar(self, style: .singleQuoted, tag: YAMLTag.str)
        }
        if utf8.contains(UInt8(ascii: "\n")) {
            scalar.style = .any
        }
        return scalar
    }
}

extension Bool: YAMLScalarRepresentable {
    var yamlScalar: YAMLScalar { YAMLScalar(self ? "true" : "false", tag: YAMLTag.bool) }
}

extension Double: YAMLScalarRepresentable {
    var yamlScalar: YAMLScalar { YAMLScalar(YAMLFloatFormatting.string(for: self), tag: YAMLTag.float) }
}

extension Float: YAMLScalarRepresentable {
    var yamlScalar: YAMLScalar { YAMLScalar(YAMLFloatFormatting.string(for: Double(self)), tag: YAMLTag.float) }
}

extension YAMLScalarRepresentable where Self: BinaryInteger {
    var yamlScalar: YAMLScalar { YAMLScalar(String(describing: self), tag: YAMLTag.int) }
}

extension Int: YAMLScalarRepresentable {}
extension Int8: YAMLScalarRepresentable {}
extension Int16: YAMLScalarRepresentable {}
extension Int32: YAMLScalarRepresentable {}
extension Int64: YAMLScalarRepresentable {}
extension UInt: YAMLScalarRepresentable {}
extension UInt8: YAMLScalarRepresentable {}
extension UInt16: YAMLScalarRepresentable {}
extension UInt32: YAMLScalarRepresentable {}
extension UInt64: YAMLScalarRepresentable {}
