using System.Text;

namespace SpecSynth.Specs;

/// <summary>
/// Reads and checks specification input: size cap, encoding (UTF-8 only, BOM stripped), binary content
/// and emptiness. Every rejection is a <see cref="SpecSynthException"/> of kind
/// <see cref="ErrorKind.InvalidInput"/> whose message names the file and says what to do.
/// </summary>
internal static class SpecInput
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads a spec file's text, or throws an actionable <see cref="SpecSynthException"/>.</summary>
    public static string ReadFile(string path)
    {
        var size = CheckFile(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw ReadFailure(path, ex);
        }
        return Decode(bytes, path, size);
    }

    /// <summary>Reads a spec file's text asynchronously, or throws an actionable <see cref="SpecSynthException"/>.</summary>
    public static async Task<string> ReadFileAsync(string path, CancellationToken cancellationToken)
    {
        var (bytes, size) = await ReadBytesAsync(path, cancellationToken).ConfigureAwait(false);
        return Decode(bytes, path, size);
    }

    /// <summary>Reads a spec file's text and the stamp of the bytes it was decoded from, or throws an actionable
    /// <see cref="SpecSynthException"/> (the checks of <see cref="ReadFileAsync"/>).</summary>
    public static async Task<(string Text, SpecStamp Stamp)> ReadFileStampedAsync(string path, CancellationToken cancellationToken)
    {
        var (bytes, size) = await ReadBytesAsync(path, cancellationToken).ConfigureAwait(false);
        return (Decode(bytes, path, size), SpecStamp.Of(bytes));
    }

    /// <summary>A spec file's bytes after the size check, or an actionable <see cref="SpecSynthException"/>.</summary>
    private static async Task<(byte[] Bytes, long Size)> ReadBytesAsync(string path, CancellationToken cancellationToken)
    {
        var size = CheckFile(path);
        try
        {
            return (await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false), size);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw ReadFailure(path, ex);
        }
    }

    /// <summary>Reads a checked spec file again: its text, or <c>null</c> when the file can no longer be read or its bytes
    /// are not the stamped ones (it changed since it was checked).</summary>
    public static async Task<string?> RereadAsync(string path, SpecStamp stamp, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        return Restamped(bytes, path, stamp);
    }

    /// <summary><see cref="RereadAsync"/>, synchronously.</summary>
    public static string? Reread(string path, SpecStamp stamp)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        return Restamped(bytes, path, stamp);
    }

    // The same bytes decode to the same text: the checks that passed before pass again.
    private static string? Restamped(byte[] bytes, string path, SpecStamp stamp) =>
        bytes.Length == stamp.Length && SpecStamp.Of(bytes) == stamp ? Decode(bytes, path, bytes.Length) : null;

    /// <summary>Reads a spec from a stream (standard input): at most one byte more than the limit, then the same checks as a file.</summary>
    public static async Task<string> ReadStreamAsync(Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        const string name = "(standard input)";
        var buffer = new byte[SpecParser.MaxSizeBytes + 1];
        var length = 0;
        try
        {
            int read;
            while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
            {
                length += read;
            }
        }
        catch (IOException ex)
        {
            throw ReadFailure(name, ex);
        }
        return Decode(buffer[..length], name, length);
    }

    /// <summary>Checks text given directly: strips a BOM, rejects NUL characters, oversize and empty text.</summary>
    public static string CheckText(string text, string? sourcePath)
    {
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }
        if (text.Length > SpecParser.MaxSizeBytes)
        {
            throw TooLarge(sourcePath, text.Length);
        }
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            throw Invalid(sourcePath, "looks like a binary file (it contains NUL characters). Pass a markdown or plain-text specification.");
        }
        if (string.IsNullOrWhiteSpace(text))
        {
            throw Invalid(sourcePath, "is empty. Write the specification (a title, what to build and its requirements) and try again.");
        }
        return text;
    }

    private static long CheckFile(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new SpecSynthException(ErrorKind.InvalidInput, "No specification file was given. Pass the path of a markdown file, e.g. spec.md.");
        }
        if (Directory.Exists(path))
        {
            throw Invalid(path, "is a directory, not a file. Pass the path of the markdown specification inside it, e.g. " + Path.Combine(path, "spec.md") + ".");
        }
        if (!File.Exists(path))
        {
            throw Invalid(path, $"was not found (looked in {Path.GetFullPath(path)}). Check the path and spelling.");
        }
        var size = new FileInfo(path).Length;
        if (size > SpecParser.MaxSizeBytes)
        {
            throw TooLarge(path, size);
        }
        return size;
    }

    private static string Decode(byte[] bytes, string path, long size)
    {
        if (bytes.Length > SpecParser.MaxSizeBytes)
        {
            throw TooLarge(path, Math.Max(size, bytes.Length));
        }
        if (bytes.Length >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF)))
        {
            throw Invalid(path, "is UTF-16 encoded (it starts with a UTF-16 byte-order mark). Convert it to UTF-8 and try again, e.g. `iconv -f UTF-16 -t UTF-8` or \"Save with encoding: UTF-8\" in your editor.");
        }
        if (Array.IndexOf(bytes, (byte)0) >= 0)
        {
            throw Invalid(path, "looks like a binary file (it contains NUL bytes). Pass a markdown or plain-text specification saved as UTF-8.");
        }
        var start = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
        string text;
        try
        {
            text = StrictUtf8.GetString(bytes, start, bytes.Length - start);
        }
        catch (DecoderFallbackException ex)
        {
            var offset = ex.Index >= 0 ? $" (first invalid byte near offset {ex.Index + start})" : string.Empty;
            throw Invalid(path, $"is not valid UTF-8{offset}. Convert it to UTF-8 and try again.", ex);
        }
        return CheckText(text, path);
    }

    internal static SpecSynthException ReadFailure(string path, Exception ex) => ex is UnauthorizedAccessException
        ? Invalid(path, "cannot be read: permission denied. Check the file's permissions or run as a user who can read it.", ex)
        : Invalid(path, $"could not be read: {ex.Message}", ex);

    private static SpecSynthException TooLarge(string? path, long size) => Invalid(
        path,
        $"is too large ({size / (1024.0 * 1024.0):0.0} MB; the limit is {SpecParser.MaxSizeBytes / (1024 * 1024)} MB). Split it into smaller specifications, one per feature.");

    private static SpecSynthException Invalid(string? path, string problem, Exception? inner = null)
    {
        var subject = path is null ? "The specification" : $"Specification file '{path}'";
        return new SpecSynthException(ErrorKind.InvalidInput, $"{subject} {problem}", inner);
    }
}
