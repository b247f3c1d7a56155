using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using SpecSynth.Context.Index;

namespace SpecSynth.Specs;

/// <summary>
/// The binary form of a <see cref="SpecMemo"/> file: a header (magic and format version, the 128-bit key of what was
/// parsed), the parsed <see cref="Specification"/> without its text, and a checksum of all that. A string that
/// occurs in the spec's text is kept as its place there (start, length), one that does not as pieces of it where it can be
/// (a section body without its HTML comments: its lines found in order in the text, each run as long as it goes on
/// there), so the file holds the spec's words only where the parse rewrote them (requirement text joined from several
/// lines, evidence shortened, warning messages, a line a comment was cut out of); the text itself
/// is never stored, it is always the file's current text. Decoding takes no regex, no serializer and nothing generic over
/// a struct; a file that is truncated, corrupted, of another format or for another key decodes as <c>null</c>.
/// </summary>
internal static class SpecMemoCodec
{
    private const ulong Magic = 0x3130_4D45_4D43_5053; // "SPCMEM01", little-endian: bump the digits when the layout changes
    private const int HeaderBytes = 8 + 16 + 4, ChecksumBytes = 8;
    private const byte NullString = 0, Slice = 1, Literal = 2, Pieces = 3;

    // Strings shorter than this are stored as they are: their place would not be shorter.
    private const int MinSliceLength = 4;

    /// <summary>The file's bytes for <paramref name="spec"/> parsed from its <see cref="Specification.RawText"/> under <paramref name="key"/>.</summary>
    public static byte[] Encode(Specification spec, SpecMemoKey key)
    {
        var w = new Writer(spec.RawText);
        w.Ulong(Magic);
        w.Ulong(key.Upper);
        w.Ulong(key.Lower);
        w.Int(0); // the payload's length, set below
        w.String(spec.Title);
        w.String(spec.TitleSource);
        w.Int(spec.Sections.Count);
        foreach (var s in spec.Sections)
        {
            w.String(s.Heading);
            w.Int(s.Level);
            w.String(s.Body);
            w.Int(s.Line);
        }
        w.Int(spec.Requirements.Count);
        foreach (var r in spec.Requirements)
        {
            w.String(r.Id);
            w.String(r.Text);
            w.String(r.Section);
            w.Int(r.Line);
        }
        w.Int(spec.Tasks.Count);
        foreach (var t in spec.Tasks)
        {
            w.String(t.Id);
            w.String(t.Text);
            w.Bool(t.Done);
            w.String(t.Section);
            w.Int(t.Line);
        }
        w.String(spec.Language);
        w.String(spec.Framework);
        var tech = spec.Tech;
        w.String(tech.Language);
        w.Strings(tech.OtherLanguages);
        w.String(tech.Framework);
        w.Bool(tech.LanguageStated);
        w.Bool(tech.FrameworkStated);
        w.Evidence(tech.LanguageEvidence);
        w.Evidence(tech.FrameworkEvidence);
        w.Strings(tech.Conflicts);
        w.Int(spec.Warnings.Count);
        foreach (var warning in spec.Warnings)
        {
            w.String(warning.Code);
            w.String(warning.Message);
            w.Int(warning.Line);
        }
        w.Bool(spec.IsUnfilledTemplate);
        w.Strings(spec.ReferencedPaths);
        w.Int(spec.FrontMatter.Count);
        foreach (var (name, value) in spec.FrontMatter)
        {
            w.String(name);
            w.String(value);
        }
        return w.Finish();
    }

    /// <summary>
    /// The specification stored in <paramref name="data"/> for <paramref name="key"/>, with <paramref name="text"/> (the
    /// text the key was made of) as its <see cref="Specification.RawText"/> and <paramref name="sourcePath"/> as its source;
    /// <c>null</c> when the data is not a whole, intact memo of this format for this key.
    /// </summary>
    public static Specification? Decode(ReadOnlySpan<byte> data, SpecMemoKey key, string text, string? sourcePath)
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
        var r = new Reader(data[HeaderBytes..^ChecksumBytes], text);
        try
        {
            var title = r.Required();
            var titleSource = r.Required();
            var sections = new SpecSection[r.Count()];
            for (var i = 0; i < sections.Length; i++)
            {
                sections[i] = new SpecSection(r.Required(), r.Int(), r.Required(), r.Int());
            }
            var requirements = new Requirement[r.Count()];
            for (var i = 0; i < requirements.Length; i++)
            {
                requirements[i] = new Requirement(r.String(), r.Required(), r.Required(), r.Int());
            }
            var tasks = new SpecTask[r.Count()];
            for (var i = 0; i < tasks.Length; i++)
            {
                tasks[i] = new SpecTask(r.String(), r.Required(), r.Bool(), r.Required(), r.Int());
            }
            var language = r.String();
            var framework = r.String();
            var tech = new TechInference
            {
                Language = r.String(),
                OtherLanguages = r.Strings(),
                Framework = r.String(),
                LanguageStated = r.Bool(),
                FrameworkStated = r.Bool(),
                LanguageEvidence = r.Evidence(),
                FrameworkEvidence = r.Evidence(),
                Conflicts = r.Strings(),
            };
            var warnings = new SpecWarning[r.Count()];
            for (var i = 0; i < warnings.Length; i++)
            {
                warnings[i] = new SpecWarning(r.Required(), r.Required(), r.Int());
            }
            var unfilled = r.Bool();
            var paths = r.Strings();
            var count = r.Count();
            var frontMatter = FrontMatter.Empty;
            if (count > 0)
            {
                var values = new Dictionary<string, string>(count, StringComparer.OrdinalIgnoreCase);
                for (var i = 0; i < count; i++)
                {
                    values.Add(r.Required(), r.Required());
                }
                frontMatter = values.AsReadOnly();
            }
            if (!r.AtEnd)
            {
                return null;
            }
            return new Specification
            {
                Title = title,
                TitleSource = titleSource,
                RawText = text,
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
        catch (InvalidDataException)
        {
            return null;
        }
        catch (ArgumentException)
        {
            // A duplicate front-matter key: not a memo this codec wrote.
            return null;
        }
    }

    private sealed class Writer(string text)
    {
        private readonly ArrayBufferWriter<byte> _buffer = new(1024);

        public void Ulong(ulong value)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(_buffer.GetSpan(8), value);
            _buffer.Advance(8);
        }

        public void Int(int value)
        {
            BinaryPrimitives.WriteInt32LittleEndian(_buffer.GetSpan(4), value);
            _buffer.Advance(4);
        }

        public void Bool(bool value) => Byte(value ? (byte)1 : (byte)0);

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
                WriteLiteral(value);
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
                    WriteLiteral(value.Substring(pieces[i + 1], pieces[i + 2]));
                }
            }
        }

        private void WriteLiteral(string value)
        {
            Byte(Literal);
            Int(value.Length);
            var span = _buffer.GetSpan(2 * value.Length);
            for (var i = 0; i < value.Length; i++)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(span[(2 * i)..], value[i]);
            }
            _buffer.Advance(2 * value.Length);
        }

        public void Strings(IReadOnlyList<string> values)
        {
            Int(values.Count);
            foreach (var value in values)
            {
                String(value);
            }
        }

        public void Evidence(IReadOnlyList<TechEvidence> evidence)
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

        public byte[] Finish()
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

        public readonly bool AtEnd => _at == _data.Length;

        public int Int() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

        public bool Bool() => Take(1)[0] switch
        {
            0 => false,
            1 => true,
            _ => throw new InvalidDataException(),
        };

        /// <summary>A count of items still to read: each takes at least one byte, so it is at most what is left.</summary>
        public int Count()
        {
            var count = Int();
            return count >= 0 && count <= _data.Length - _at ? count : throw new InvalidDataException();
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
            if (total < 0 || total > text.Length + (_data.Length - _at))
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
                    return start >= 0 && length >= 0 && length <= text.Length - start ? text.Substring(start, length) : throw new InvalidDataException();
                case Literal:
                    var chars = Int();
                    if (chars < 0 || chars > (_data.Length - _at) / 2)
                    {
                        throw new InvalidDataException();
                    }
                    var bytes = Take(2 * chars);
                    var value = new char[chars];
                    for (var i = 0; i < chars; i++)
                    {
                        value[i] = (char)BinaryPrimitives.ReadUInt16LittleEndian(bytes[(2 * i)..]);
                    }
                    return new string(value);
                default:
                    throw new InvalidDataException();
            }
        }

        public IReadOnlyList<string> Strings()
        {
            var values = new string[Count()];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = Required();
            }
            return values;
        }

        public IReadOnlyList<TechEvidence> Evidence()
        {
            var evidence = new TechEvidence[Count()];
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
