using System.Text;
using SpecSynth.Specs;

namespace SpecSynth.Jobs;

/// <summary>
/// A parsed spec as one byte array: its strings in UTF-8, its numbers 7-bit encoded, in a fixed order (issue 19, many
/// specs: a many-spec run parses and checks every spec before any request, and a parsed spec kept as objects until its
/// turn cost ~2.7 KB for a 130-byte spec, ~27 MB at 10,000 specs). <see cref="Unpack"/> builds the same
/// <see cref="Specification"/> without parsing it again: every property in the same order, the front matter's keys
/// case-insensitive as the parser makes them, and <see cref="TechInference.None"/> itself for a spec without tech.
/// A spec whose text UTF-8 cannot hold exactly (a lone surrogate in a string given by a host) is not packed.
/// </summary>
internal static class PackedSpec
{
    // Throws on a lone surrogate instead of writing U+FFFD: a packed spec is the same text or none.
    private static readonly UTF8Encoding Exact = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The spec packed, or <c>null</c> when one of its strings is not valid UTF-16.</summary>
    public static byte[]? Pack(Specification spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        using var stream = new MemoryStream(spec.RawText.Length + 256);
        try
        {
            using var writer = new BinaryWriter(stream, Exact, leaveOpen: true);
            Write(writer, spec);
        }
        catch (EncoderFallbackException)
        {
            return null;
        }
        return stream.ToArray();
    }

    /// <summary>The spec <see cref="Pack"/> packed.</summary>
    public static Specification Unpack(byte[] packed)
    {
        ArgumentNullException.ThrowIfNull(packed);
        using var reader = new BinaryReader(new MemoryStream(packed, writable: false), Exact);
        var title = reader.ReadString();
        var titleSource = reader.ReadString();
        var rawText = reader.ReadString();
        var sourcePath = Optional(reader);
        var sections = List(reader, static r => new SpecSection(r.ReadString(), r.Read7BitEncodedInt(), r.ReadString(), r.Read7BitEncodedInt()));
        var requirements = List(reader, static r => new Requirement(Optional(r), r.ReadString(), r.ReadString(), r.Read7BitEncodedInt()));
        var tasks = List(reader, static r => new SpecTask(Optional(r), r.ReadString(), r.ReadBoolean(), r.ReadString(), r.Read7BitEncodedInt()));
        var language = Optional(reader);
        var framework = Optional(reader);
        var tech = reader.ReadBoolean() ? TechInference.None : new TechInference
        {
            Language = Optional(reader),
            OtherLanguages = List(reader, static r => r.ReadString()),
            Framework = Optional(reader),
            LanguageStated = reader.ReadBoolean(),
            FrameworkStated = reader.ReadBoolean(),
            LanguageEvidence = List(reader, ReadEvidence),
            FrameworkEvidence = List(reader, ReadEvidence),
            Conflicts = List(reader, static r => r.ReadString()),
        };
        var warnings = List(reader, static r => new SpecWarning(r.ReadString(), r.ReadString(), r.Read7BitEncodedInt()));
        var unfilled = reader.ReadBoolean();
        var referenced = List(reader, static r => r.ReadString());
        var count = reader.Read7BitEncodedInt();
        var frontMatter = FrontMatter.Empty;
        if (count > 0)
        {
            var map = new Dictionary<string, string>(count, StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < count; i++)
            {
                map.Add(reader.ReadString(), reader.ReadString());
            }
            frontMatter = map.AsReadOnly();
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
            ReferencedPaths = referenced,
            FrontMatter = frontMatter,
        };
    }

    private static void Write(BinaryWriter w, Specification spec)
    {
        w.Write(spec.Title);
        w.Write(spec.TitleSource);
        w.Write(spec.RawText);
        Optional(w, spec.SourcePath);
        List(w, spec.Sections, static (o, s) => { o.Write(s.Heading); o.Write7BitEncodedInt(s.Level); o.Write(s.Body); o.Write7BitEncodedInt(s.Line); });
        List(w, spec.Requirements, static (o, r) => { Optional(o, r.Id); o.Write(r.Text); o.Write(r.Section); o.Write7BitEncodedInt(r.Line); });
        List(w, spec.Tasks, static (o, t) => { Optional(o, t.Id); o.Write(t.Text); o.Write(t.Done); o.Write(t.Section); o.Write7BitEncodedInt(t.Line); });
        Optional(w, spec.Language);
        Optional(w, spec.Framework);
        var tech = spec.Tech;
        w.Write(ReferenceEquals(tech, TechInference.None));
        if (!ReferenceEquals(tech, TechInference.None))
        {
            Optional(w, tech.Language);
            List(w, tech.OtherLanguages, static (o, s) => o.Write(s));
            Optional(w, tech.Framework);
            w.Write(tech.LanguageStated);
            w.Write(tech.FrameworkStated);
            List(w, tech.LanguageEvidence, WriteEvidence);
            List(w, tech.FrameworkEvidence, WriteEvidence);
            List(w, tech.Conflicts, static (o, s) => o.Write(s));
        }
        List(w, spec.Warnings, static (o, x) => { o.Write(x.Code); o.Write(x.Message); o.Write7BitEncodedInt(x.Line); });
        w.Write(spec.IsUnfilledTemplate);
        List(w, spec.ReferencedPaths, static (o, s) => o.Write(s));
        w.Write7BitEncodedInt(spec.FrontMatter.Count);
        foreach (var (key, value) in spec.FrontMatter)
        {
            w.Write(key);
            w.Write(value);
        }
    }

    private static void WriteEvidence(BinaryWriter w, TechEvidence e)
    {
        w.Write(e.Value);
        w.Write(e.Kind);
        w.Write(e.Text);
        w.Write7BitEncodedInt(e.Line);
    }

    private static TechEvidence ReadEvidence(BinaryReader r) => new(r.ReadString(), r.ReadString(), r.ReadString(), r.Read7BitEncodedInt());

    private static void Optional(BinaryWriter w, string? value)
    {
        w.Write(value is not null);
        if (value is not null)
        {
            w.Write(value);
        }
    }

    private static string? Optional(BinaryReader r) => r.ReadBoolean() ? r.ReadString() : null;

    private static void List<T>(BinaryWriter w, IReadOnlyList<T> items, Action<BinaryWriter, T> write)
    {
        w.Write7BitEncodedInt(items.Count);
        foreach (var item in items)
        {
            write(w, item);
        }
    }

    private static T[] List<T>(BinaryReader r, Func<BinaryReader, T> read)
    {
        var count = r.Read7BitEncodedInt();
        if (count == 0)
        {
            return [];
        }
        var items = new T[count];
        for (var i = 0; i < count; i++)
        {
            items[i] = read(r);
        }
        return items;
    }
}
