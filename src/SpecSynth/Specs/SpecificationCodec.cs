using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using SpecSynth.Context.Index;

namespace SpecSynth.Specs;

/// <summary>
/// The one binary form of a parsed <see cref="Specification"/>, in two wrappings:
/// <list type="bullet">
/// <item><see cref="EncodeMemo"/> / <see cref="DecodeMemo"/>, a <see cref="SpecMemo"/> file: a header (magic and format
/// version, the 128-bit key of what was parsed, the payload's length), the spec without its text and source path, and a
/// checksum of all that; a file that is truncated, corrupted, of another format or for another key decodes as
/// <c>null</c>. The text is never stored: it is always the spec file's current text.</item>
/// <item><see cref="Pack"/> / <see cref="Unpack"/>, a spec held in memory until its turn in a many-spec run (issue 19: a
/// parsed spec kept as objects cost ~2.7 KB for a 130-byte spec, ~27 MB at 10,000 specs): the text and the source path
/// first, then the same body.</item>
/// </list>
/// In the body a string that occurs in the spec's text is kept as its place there (start, length), one that does not as
/// pieces of it where it can (a section body without its HTML comments: its lines found in order in the text, each run as
/// long as it goes on there), so the spec's words are stored again only where the parse rewrote them (requirement text
/// joined from several lines, evidence shortened, warning messages). Such a string is stored in UTF-8, or in UTF-16 when it
/// holds a lone surrogate (a string given by a host, an evidence cut inside a pair), so every spec round-trips exactly.
/// Numbers are 7-bit encoded. Decoding gives every property in the same order, the front matter's keys case-insensitive as
/// the parser makes them, and <see cref="TechInference.None"/> itself for a spec without tech; it takes no regex, no
/// serializer and nothing generic over a struct.
/// </summary>
internal static class SpecificationCodec
{
    private const ulong Magic = 0x3230_4D45_4D43_5053; // "SPCMEM02", little-endian: bump the digits when the layout changes
    private const int HeaderBytes = 8 + 16 + 4, ChecksumBytes = 8;
    private const byte NullString = 0, Slice = 1, Utf8 = 2, Utf16 = 3, Pieces = 4;

    // Strings shorter than this are stored as they are: their place would not be shorter.
    private const int MinSliceLength = 4;

    // Throws on bytes that are not UTF-8 instead of reading U+FFFD: a memo whose bytes changed is not read.
    private static readonly UTF8Encoding Exact = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The memo file's bytes for <paramref name="spec"/> parsed from its <see cref="Specification.RawText"/> under <paramref name="key"/>.</summary>
    public static byte[] EncodeMemo(Specification spec, SpecMemoKey key)
    {
        var w = new Writer(spec.RawText, 1024);
        Span<byte> header = stackalloc byte[HeaderBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(header, Magic);
        BinaryPrimitives.WriteUInt64LittleEndian(header[8..], key.Upper);
        BinaryPrimitives.WriteUInt64LittleEndian(header[16..], key.Lower);
        w.Raw(header); // the payload's length (the last 4 bytes) is set by FinishMemo
        w.Body(spec);
        return w.FinishMemo();
    }

    /// <summary>
    /// The specification stored in <paramref name="data"/> for <paramref name="key"/>, with <paramref name="text"/> (the
    /// text the key was made of) as its <see cref="Specification.RawText"/> and <paramref name="sourcePath"/> as its source;
    /// <c>null</c> when the data is not a whole, intact memo of this format for this key.
    /// </summary>
    public static Specification? DecodeMemo(ReadOnlySpan<byte> data, SpecMemoKey key, string text, string? sourcePath)
    {
        if (data.Length < HeaderBytes + ChecksumBytes
            || BinaryPrimitives.ReadUInt64LittleEndian(data) != Magic
            || BinaryPrimitives.ReadUInt64LittleEndian(data[8..]) != key.Upper
            || BinaryPrimitives.ReadUInt64LittleEndian(data[16..]) != key.Lower
            || BinaryPrimitives.ReadInt32LittleEndian(data[24..]) != data.Length - HeaderBytes - ChecksumBytes
            || IndexChecksum.Of(data[..^ChecksumBytes]) != BinaryPrimitives.ReadUInt64LittleEndian(data[^ChecksumBytes..]))
        {
            return null;
        }
        try
        {
            var r = new Reader(data[HeaderBytes..^ChecksumBytes], text);
            var spec = r.Body(text, sourcePath);
            return r.AtEnd ? spec : null;
        }
        catch (Exception ex) when (ex is InvalidDataException or DecoderFallbackException or ArgumentException)
        {
            // ArgumentException: a duplicate front-matter key, not a memo this codec wrote.
            return null;
        }
    }

    /// <summary>The spec as one byte array, to be held until <see cref="Unpack"/>.</summary>
    public static byte[] Pack(Specification spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var w = new Writer(spec.RawText, spec.RawText.Length + 256);
        w.Literal(spec.RawText);
        w.String(spec.SourcePath);
        w.Body(spec);
        return w.Finish();
    }

    /// <summary>The spec <see cref="Pack"/> packed.</summary>
    public static Specification Unpack(byte[] packed)
    {
        ArgumentNullException.ThrowIfNull(packed);
        var r = new Reader(packed, string.Empty);
        var text = r.Required();
        r.Text = text;
        var sourcePath = r.String();
        return r.Body(text, sourcePath);
    }

    private sealed class Writer(string text, int capacity)
    {
        private readonly ArrayBufferWriter<byte> _buffer = new(capacity);

        public void Body(Specification spec)
        {
            String(spec.Title);
            String(spec.TitleSource);
            Int(spec.Sections.Count);
            foreach (var s in spec.Sections)
            {
                String(s.Heading);
                Int(s.Level);
                String(s.Body);
                Int(s.Line);
            }
            Int(spec.Requirements.Count);
            foreach (var r in spec.Requirements)
            {
                String(r.Id);
                String(r.Text);
                String(r.Section);
                Int(r.Line);
            }
            Int(spec.Tasks.Count);
            foreach (var t in spec.Tasks)
            {
                String(t.Id);
                String(t.Text);
                Bool(t.Done);
                String(t.Section);
                Int(t.Line);
            }
            String(spec.Language);
            String(spec.Framework);
            var tech = spec.Tech;
            var none = ReferenceEquals(tech, TechInference.None);
            Bool(none);
            if (!none)
            {
                String(tech.Language);
                Strings(tech.OtherLanguages);
                String(tech.Framework);
                Bool(tech.LanguageStated);
                Bool(tech.FrameworkStated);
                Evidence(tech.LanguageEvidence);
                Evidence(tech.FrameworkEvidence);
                Strings(tech.Conflicts);
            }
            Int(spec.Warnings.Count);
            foreach (var warning in spec.Warnings)
            {
                String(warning.Code);
                String(warning.Message);
                Int(warning.Line);
            }
            Bool(spec.IsUnfilledTemplate);
            Strings(spec.ReferencedPaths);
            Int(spec.FrontMatter.Count);
            foreach (var (name, value) in spec.FrontMatter)
            {
                String(name);
                String(value);
            }
        }

        public void Raw(ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(_buffer.GetSpan(bytes.Length));
            _buffer.Advance(bytes.Length);
        }

        // 7-bit encoded, as an unsigned number: a negative one takes five bytes.
        private void Int(int value)
        {
            var span = _buffer.GetSpan(5);
            var n = 0;
            var v = (uint)value;
            for (; v >= 0x80; v >>= 7)
            {
                span[n++] = (byte)(v | 0x80);
            }
            span[n++] = (byte)v;
            _buffer.Advance(n);
        }

        private void Bool(bool value) => Byte(value ? (byte)1 : (byte)0);

        public void String(string? value)
        {
            var at = value is { Length: >= MinSliceLength } ? text.IndexOf(value, StringComparison.Ordinal) : -1;
            if (value is null)
            {
                Byte(NullString);
            }
            else if (at >= 0)
            {
                Byte(Slice);
                Int(at);
                Int(value.Length);
            }
            else if (value.Length >= MinSliceLength && value.Contains('\n', StringComparison.Ordinal))
            {
                WritePieces(value);
            }
            else
            {
                Literal(value);
            }
        }

        // The string as runs of the text and literal lines: each line is looked for after the previous run, and a run found
        // goes on as long as the string and the text agree.
        private void WritePieces(string value)
        {
            var pieces = new List<int>(); // (place in the text or -1 for a literal, start in the string, length) each
            var from = 0;
            for (var p = 0; p < value.Length;)
            {
                var lineEnd = value.IndexOf('\n', p);
                var line = value.AsSpan(p, (lineEnd < 0 ? value.Length : lineEnd + 1) - p);
                var found = line.Length >= MinSliceLength ? text.AsSpan(from).IndexOf(line, StringComparison.Ordinal) : -1;
                if (found < 0)
                {
                    pieces.AddRange([-1, p, line.Length]);
                    p += line.Length;
                    continue;
                }
                var at = from + found;
                var length = line.Length;
                while (p + length < value.Length && at + length < text.Length && value[p + length] == text[at + length])
                {
                    length++;
                }
                pieces.AddRange([at, p, length]);
                p += length;
                from = at + length;
            }
            Byte(Pieces);
            Int(value.Length);
            Int(pieces.Count / 3);
            for (var i = 0; i < pieces.Count; i += 3)
            {
                if (pieces[i] >= 0)
                {
                    Byte(Slice);
                    Int(pieces[i]);
                    Int(pieces[i + 2]);
                }
                else
                {
                    Literal(value.AsSpan(pieces[i + 1], pieces[i + 2]));
                }
            }
        }

        /// <summary>The string itself: UTF-8, or UTF-16 when it holds a lone surrogate (UTF-8 cannot hold that exactly).</summary>
        public void Literal(ReadOnlySpan<char> value)
        {
            if (IsWellFormed(value))
            {
                var count = Encoding.UTF8.GetByteCount(value);
                Byte(Utf8);
                Int(count);
                Encoding.UTF8.GetBytes(value, _buffer.GetSpan(count));
                _buffer.Advance(count);
                return;
            }
            Byte(Utf16);
            Int(value.Length);
            var chars = _buffer.GetSpan(2 * value.Length);
            for (var i = 0; i < value.Length; i++)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(chars[(2 * i)..], value[i]);
            }
            _buffer.Advance(2 * value.Length);
        }

        // No surrogate, or each in a pair.
        private static bool IsWellFormed(ReadOnlySpan<char> value)
        {
            var i = value.IndexOfAnyInRange('\uD800', '\uDFFF');
            if (i < 0)
            {
                return true;
            }
            for (; i < value.Length; i++)
            {
                if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                {
                    i++;
                }
                else if (char.IsSurrogate(value[i]))
                {
                    return false;
                }
            }
            return true;
        }

        private void Strings(IReadOnlyList<string> values)
        {
            Int(values.Count);
            foreach (var value in values)
            {
                String(value);
            }
        }

        private void Evidence(IReadOnlyList<TechEvidence> evidence)
        {
            Int(evidence.Count);
            foreach (var e in evidence)
            {
                String(e.Value);
                String(e.Kind);
                String(e.Text);
                Int(e.Line);
            }
        }

        private void Byte(byte value)
        {
            _buffer.GetSpan(1)[0] = value;
            _buffer.Advance(1);
        }

        public byte[] Finish() => _buffer.WrittenSpan.ToArray();

        public byte[] FinishMemo()
        {
            var written = _buffer.WrittenCount;
            var bytes = new byte[written + ChecksumBytes];
            _buffer.WrittenSpan.CopyTo(bytes);
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(24), written - HeaderBytes);
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(written), IndexChecksum.Of(bytes.AsSpan(0, written)));
            return bytes;
        }
    }

    private ref struct Reader(ReadOnlySpan<byte> data, string text)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _at;

        /// <summary>The text the slices are places in.</summary>
        public string Text { get; set; } = text;

        public readonly bool AtEnd => _at == _data.Length;

        public Specification Body(string rawText, string? sourcePath)
        {
            var title = Required();
            var titleSource = Required();
            var sections = Array<SpecSection>();
            for (var i = 0; i < sections.Length; i++)
            {
                sections[i] = new SpecSection(Required(), Int(), Required(), Int());
            }
            var requirements = Array<Requirement>();
            for (var i = 0; i < requirements.Length; i++)
            {
                requirements[i] = new Requirement(String(), Required(), Required(), Int());
            }
            var tasks = Array<SpecTask>();
            for (var i = 0; i < tasks.Length; i++)
            {
                tasks[i] = new SpecTask(String(), Required(), Bool(), Required(), Int());
            }
            var language = String();
            var framework = String();
            var tech = Bool() ? TechInference.None : new TechInference
            {
                Language = String(),
                OtherLanguages = Strings(),
                Framework = String(),
                LanguageStated = Bool(),
                FrameworkStated = Bool(),
                LanguageEvidence = Evidence(),
                FrameworkEvidence = Evidence(),
                Conflicts = Strings(),
            };
            var warnings = Array<SpecWarning>();
            for (var i = 0; i < warnings.Length; i++)
            {
                warnings[i] = new SpecWarning(Required(), Required(), Int());
            }
            var unfilled = Bool();
            var paths = Strings();
            var count = Count();
            var frontMatter = FrontMatter.Empty;
            if (count > 0)
            {
                var values = new Dictionary<string, string>(count, StringComparer.OrdinalIgnoreCase);
                for (var i = 0; i < count; i++)
                {
                    values.Add(Required(), Required());
                }
                frontMatter = values.AsReadOnly();
            }
            return new Specification
            {
                Title = title,
                TitleSource = titleSource,
                RawText = rawText,
                SourcePath = sourcePath,
                Sections = sections,
                Requirements = requirements,
                Tasks = tasks,
                Language = language,
                Framework = framework,
                Tech = tech,
                Warnings = warnings,
                IsUnfilledTemplate = unfilled,
                ReferencedPaths = paths,
                FrontMatter = frontMatter,
            };
        }

        private int Int()
        {
            uint value = 0;
            for (var shift = 0; shift < 35; shift += 7)
            {
                var b = Take(1)[0];
                if (shift == 28 && b > 0x0F)
                {
                    throw new InvalidDataException();
                }
                value |= (uint)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return (int)value;
                }
            }
            throw new InvalidDataException();
        }

        private bool Bool() => Take(1)[0] switch
        {
            0 => false,
            1 => true,
            _ => throw new InvalidDataException(),
        };

        /// <summary>A count of items still to read: each takes at least one byte, so it is at most what is left.</summary>
        private int Count()
        {
            var count = Int();
            return count >= 0 && count <= _data.Length - _at ? count : throw new InvalidDataException();
        }

        private T[] Array<T>()
        {
            var count = Count();
            return count == 0 ? [] : new T[count];
        }

        public string Required() => String() ?? throw new InvalidDataException();

        public string? String()
        {
            var kind = Take(1)[0];
            if (kind != Pieces)
            {
                return Piece(kind);
            }
            var total = Int();
            var count = Count();
            if (total < 0 || total > Text.Length + (_data.Length - _at))
            {
                throw new InvalidDataException();
            }
            var joined = new StringBuilder(total);
            for (var i = 0; i < count; i++)
            {
                var piece = Piece(Take(1)[0]);
                joined.Append(piece is { Length: > 0 } ? piece : throw new InvalidDataException());
            }
            return joined.Length == total ? joined.ToString() : throw new InvalidDataException();
        }

        private string? Piece(byte kind)
        {
            switch (kind)
            {
                case NullString:
                    return null;
                case Slice:
                    var start = Int();
                    var length = Int();
                    return start >= 0 && length >= 0 && length <= Text.Length - start ? Text.Substring(start, length) : throw new InvalidDataException();
                case Utf8:
                    return Exact.GetString(Take(Count()));
                case Utf16:
                    var chars = Int();
                    if (chars < 0 || chars > (_data.Length - _at) / 2)
                    {
                        throw new InvalidDataException();
                    }
                    var bytes = Take(2 * chars);
                    return string.Create(chars, bytes, static (value, bytes) =>
                    {
                        for (var i = 0; i < value.Length; i++)
                        {
                            value[i] = (char)BinaryPrimitives.ReadUInt16LittleEndian(bytes[(2 * i)..]);
                        }
                    });
                default:
                    throw new InvalidDataException();
            }
        }

        private IReadOnlyList<string> Strings()
        {
            var values = Array<string>();
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = Required();
            }
            return values;
        }

        private IReadOnlyList<TechEvidence> Evidence()
        {
            var evidence = Array<TechEvidence>();
            for (var i = 0; i < evidence.Length; i++)
            {
                evidence[i] = new TechEvidence(Required(), Required(), Required(), Int());
            }
            return evidence;
        }

        private ReadOnlySpan<byte> Take(int length)
        {
            if (length > _data.Length - _at)
            {
                throw new InvalidDataException();
            }
            var span = _data.Slice(_at, length);
            _at += length;
            return span;
        }
    }
}
