using System.Globalization;
using System.Text;

namespace SpecSynth.Output;

/// <summary>
/// The lexical half of <see cref="PathGuard"/>: checks a model-supplied relative path as text, without
/// touching the disk, and returns it normalised (<c>/</c> separators, no <c>.</c> or empty segments).
/// </summary>
internal static class PathRules
{
    /// <summary>Longest segment, in UTF-8 bytes (the common file-system limit).</summary>
    public const int MaxSegmentBytes = 255;

    /// <summary>Longest path, in UTF-8 bytes (Linux <c>PATH_MAX</c>).</summary>
    public const int MaxPathBytes = 4096;

    /// <summary>Names specsynth gives its own temporary files; a model may not use them.</summary>
    public const string TempPrefix = ".specsynth-tmp-";

    private static readonly string[] DeviceNames =
    [
        "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
        "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "COM¹", "COM²", "COM³",
        "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9", "LPT¹", "LPT²", "LPT³",
    ];

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Checks <paramref name="relativePath"/> and returns it normalised.</summary>
    /// <exception cref="SpecSynthException">The path is unsafe (<see cref="ErrorKind.UnusableOutput"/>).</exception>
    public static string Normalize(string relativePath)
    {
        if (string.IsNullOrWhiteSpace(relativePath))
        {
            throw Refuse(relativePath ?? "", "it is empty");
        }
        CheckCharacters(relativePath);
        CheckEncoded(relativePath, relativePath, depth: 0);
        CheckRooted(relativePath);
        var unified = relativePath.Replace('\\', '/');
        if (unified.EndsWith('/'))
        {
            throw Refuse(relativePath, "it ends with a separator, so it names a folder, not a file");
        }
        var segments = unified.Split('/').Where(s => s.Length > 0 && s != ".").ToList();
        if (segments.Count == 0)
        {
            throw Refuse(relativePath, "it names the output folder itself");
        }
        if (segments[0].StartsWith('~'))
        {
            throw Refuse(relativePath, "a leading '~' means a home folder to shells");
        }
        foreach (var segment in segments)
        {
            CheckSegment(relativePath, segment);
        }
        // One name, one spelling: "é" composed (NFC) and decomposed (NFD) are one file to a reader and to macOS, two to
        // Linux. Paths are kept in NFC, so two spellings of one name collide like names differing only in case.
        var normalised = UnicodeNames.ToNfc(string.Join('/', segments));
        if (Encoding.UTF8.GetByteCount(normalised) > MaxPathBytes)
        {
            throw Refuse(relativePath, $"it is longer than {MaxPathBytes} bytes");
        }
        if (Projects.SecretFiles.IsSecret(normalised))
        {
            throw Refuse(relativePath, "it names a file that holds secrets (environment, key, certificate or credential file), which generated code may not overwrite");
        }
        return normalised;
    }

    /// <summary>The exception every refusal uses, naming the path and the reason.</summary>
    public static SpecSynthException Refuse(string path, string why)
    {
        var problem = $"'{Printable(path)}': {why}";
        var ex = new SpecSynthException(ErrorKind.UnusableOutput, $"Refusing to write {problem}. Nothing was written.");
        ex.Data[ProblemKey] = problem;
        return ex;
    }

    /// <summary>The key under which <see cref="Refuse"/> stores the short problem text in <see cref="Exception.Data"/>.</summary>
    public const string ProblemKey = "SpecSynth.PathProblem";

    private static void CheckCharacters(string path)
    {
        foreach (var c in path)
        {
            if (c == '\0')
            {
                throw Refuse(path, "it contains a NUL character");
            }
            if (char.IsControl(c))
            {
                throw Refuse(path, $"it contains the control character U+{(int)c:X4}");
            }
            if (c is '<' or '>' or ':' or '"' or '|' or '?' or '*')
            {
                throw Refuse(path, $"it contains '{c}', which Windows does not allow in file names");
            }
        }
        try
        {
            _ = StrictUtf8.GetByteCount(path);
        }
        catch (EncoderFallbackException)
        {
            throw Refuse(path, "it is not valid Unicode (unpaired surrogate)");
        }
        foreach (var rune in path.EnumerateRunes())
        {
            if (IsDeceptive(rune))
            {
                throw Refuse(path, $"it contains the invisible or direction-changing character U+{rune.Value:X4}, which makes a name look like another");
            }
        }
    }

    /// <summary>Format characters (bidi controls such as U+202E, zero-width characters, the BOM U+FEFF, soft hyphens),
    /// line and paragraph separators, and spaces other than U+0020: a name holding one is not what it looks like.</summary>
    private static bool IsDeceptive(Rune rune) => Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => true,
        UnicodeCategory.SpaceSeparator => rune.Value != ' ',
        _ => false,
    };

    /// <summary>
    /// Refuses percent-encoded dots, slashes, backslashes and control characters, decoding repeatedly
    /// so that double encoding (<c>%252e</c>) is caught too. Other escapes are kept literally.
    /// </summary>
    private static void CheckEncoded(string original, string text, int depth)
    {
        var sawEncodedPercent = false;
        for (var i = 0; i + 2 < text.Length; i++)
        {
            if (text[i] != '%' || !byte.TryParse(text.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
            {
                continue;
            }
            if (b is (byte)'.' or (byte)'/' or (byte)'\\' or < 0x20 or 0x7F or 0xC0 or 0xC1)
            {
                throw Refuse(original, $"it contains the percent-encoded character '%{b:X2}' (an encoded dot, separator or control character)");
            }
            sawEncodedPercent |= b == (byte)'%';
        }
        if (sawEncodedPercent)
        {
            if (depth >= 3)
            {
                throw Refuse(original, "it is percent-encoded several times over");
            }
            CheckEncoded(original, Uri.UnescapeDataString(text), depth + 1);
        }
    }

    private static void CheckRooted(string path)
    {
        if (path[0] is '/' or '\\')
        {
            throw Refuse(path, "it is an absolute path (starts with a separator)");
        }
        if (path.Length >= 2 && char.IsAsciiLetter(path[0]) && path[1] == ':')
        {
            throw Refuse(path, "it starts with a Windows drive letter");
        }
    }

    private static void CheckSegment(string path, string segment)
    {
        if (segment == "..")
        {
            throw Refuse(path, "it contains a '..' segment that climbs out of its folder");
        }
        if (segment.EndsWith('.') || segment.EndsWith(' '))
        {
            throw Refuse(path, $"the name '{segment}' ends in a dot or a space, which Windows silently strips");
        }
        if (IsProtected(segment))
        {
            throw Refuse(path, $"'{segment}' is version-control or specsynth state or configuration, which generated code may not touch");
        }
        var stem = segment.Split('.')[0].TrimEnd(' ');
        if (DeviceNames.Contains(stem, StringComparer.OrdinalIgnoreCase))
        {
            throw Refuse(path, $"'{segment}' is a reserved device name on Windows");
        }
        if (Encoding.UTF8.GetByteCount(segment) > MaxSegmentBytes)
        {
            throw Refuse(path, $"a name is longer than {MaxSegmentBytes} bytes");
        }
    }

    private static bool IsProtected(string segment) =>
        segment.Equals(".git", StringComparison.OrdinalIgnoreCase)
        || segment.Equals("git~1", StringComparison.OrdinalIgnoreCase)
        || segment.Equals(".specsynth", StringComparison.OrdinalIgnoreCase)
        // specsynth's own configuration names base URLs and key variables: a spec that talks the model into
        // writing it could send the next run's API key elsewhere.
        || segment.Equals("specsynth.toml", StringComparison.OrdinalIgnoreCase)
        || segment.StartsWith(TempPrefix, StringComparison.OrdinalIgnoreCase);

    private static string Printable(string path)
    {
        var shown = path.Length > 200 ? path[..200] + "..." : path;
        var sb = new StringBuilder(shown.Length);
        foreach (var rune in shown.EnumerateRunes())
        {
            _ = Rune.IsControl(rune) || IsDeceptive(rune)
                ? sb.Append(CultureInfo.InvariantCulture, $"\\u{rune.Value:X4}") : sb.Append(rune.ToString());
        }
        return sb.ToString();
    }
}
