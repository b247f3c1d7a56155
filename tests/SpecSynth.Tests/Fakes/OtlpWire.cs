using System.Text;

namespace SpecSynth.Tests.Fakes;

/// <summary>One span as an OTLP collector receives it (hex ids, attributes decoded from <c>KeyValue</c>/<c>AnyValue</c>).</summary>
internal sealed record OtlpSpan(string TraceId, string SpanId, string ParentSpanId, string Name, string Scope,
    IReadOnlyDictionary<string, object?> Attributes, IReadOnlyList<string> Events, int StatusCode,
    IReadOnlyDictionary<string, object?> Resource)
{
    /// <summary>An attribute as text (arrays joined with commas), or <c>null</c>.</summary>
    public string? Text(string key) => Attributes.TryGetValue(key, out var value) ? value switch
    {
        object?[] items => string.Join(",", items),
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value?.ToString(),
    } : null;
}

/// <summary>
/// A hand-written reader of the protobuf wire format for the few OTLP messages the tests need (the
/// <c>OpenTelemetry.Proto</c> types are not available here): <c>ExportTraceServiceRequest</c> down to each span's ids, name,
/// attributes, events and status, and the metric names of an <c>ExportMetricsServiceRequest</c>.
/// </summary>
internal static class OtlpWire
{
    /// <summary>The spans of an <c>ExportTraceServiceRequest</c>.</summary>
    public static List<OtlpSpan> Spans(byte[] request)
    {
        var spans = new List<OtlpSpan>();
        foreach (var resourceSpans in Messages(request, 1))
        {
            var resource = Messages(resourceSpans, 1).Select(r => Attributes(r, 1)).FirstOrDefault() ?? new Dictionary<string, object?>();
            foreach (var scopeSpans in Messages(resourceSpans, 2))
            {
                var scope = Messages(scopeSpans, 1).Select(s => Strings(s, 1).FirstOrDefault()).FirstOrDefault() ?? "";
                spans.AddRange(Messages(scopeSpans, 2).Select(span => Span(span, scope, resource)));
            }
        }
        return spans;
    }

    /// <summary>The metric names of an <c>ExportMetricsServiceRequest</c>.</summary>
    public static List<string> MetricNames(byte[] request) =>
        [.. Messages(request, 1).SelectMany(rm => Messages(rm, 2)).SelectMany(sm => Messages(sm, 2)).SelectMany(m => Strings(m, 1))];

    private static OtlpSpan Span(byte[] span, string scope, IReadOnlyDictionary<string, object?> resource)
    {
        var status = Messages(span, 15).Select(s => Fields(s).Where(f => f.Number == 3).Select(f => (int)f.Varint).FirstOrDefault()).FirstOrDefault();
        return new OtlpSpan(Hex(Bytes(span, 1)), Hex(Bytes(span, 2)), Hex(Bytes(span, 4)), Strings(span, 5).FirstOrDefault() ?? "", scope,
            Attributes(span, 9), [.. Messages(span, 11).Select(e => Strings(e, 2).FirstOrDefault() ?? "")], status, resource);
    }

    private static Dictionary<string, object?> Attributes(byte[] message, int field)
    {
        var attributes = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var kv in Messages(message, field))
        {
            var key = Strings(kv, 1).FirstOrDefault() ?? "";
            attributes[key] = Messages(kv, 2).Select(Value).FirstOrDefault();
        }
        return attributes;
    }

    /// <summary>An <c>AnyValue</c>: string, bool, int, double, array or bytes.</summary>
    private static object? Value(byte[] any)
    {
        foreach (var f in Fields(any))
        {
            switch (f.Number)
            {
                case 1: return Encoding.UTF8.GetString(f.Bytes!);
                case 2: return f.Varint != 0;
                case 3: return (long)f.Varint;
                case 4: return BitConverter.Int64BitsToDouble((long)f.Varint);
                case 5: return Messages(f.Bytes!, 1).Select(Value).ToArray();
                case 7: return f.Bytes;
                default: break;
            }
        }
        return null;
    }

    private static IEnumerable<byte[]> Messages(byte[] message, int field) =>
        Fields(message).Where(f => f.Number == field && f.Bytes is not null).Select(f => f.Bytes!);

    private static IEnumerable<string> Strings(byte[] message, int field) => Messages(message, field).Select(b => Encoding.UTF8.GetString(b));

    private static byte[] Bytes(byte[] message, int field) => Messages(message, field).FirstOrDefault() ?? [];

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    /// <summary>The fields of one message: varints and fixed values as numbers, length-delimited ones as bytes.</summary>
    private static List<(int Number, ulong Varint, byte[]? Bytes)> Fields(byte[] message)
    {
        var fields = new List<(int, ulong, byte[]?)>();
        var pos = 0;
        while (pos < message.Length)
        {
            var tag = ReadVarint(message, ref pos);
            var number = (int)(tag >> 3);
            switch (tag & 7)
            {
                case 0:
                    fields.Add((number, ReadVarint(message, ref pos), null));
                    break;
                case 1:
                    fields.Add((number, BitConverter.ToUInt64(message, pos), null));
                    pos += 8;
                    break;
                case 2:
                    var length = (int)ReadVarint(message, ref pos);
                    fields.Add((number, 0, message[pos..(pos + length)]));
                    pos += length;
                    break;
                case 5:
                    fields.Add((number, BitConverter.ToUInt32(message, pos), null));
                    pos += 4;
                    break;
                default:
                    throw new InvalidDataException($"unsupported wire type {tag & 7} at byte {pos}");
            }
        }
        return fields;
    }

    private static ulong ReadVarint(byte[] data, ref int pos)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = data[pos++];
            value |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
    }
}
