using System.Text;

namespace SpecSynth.Projects;

/// <summary>Reads one planned file: rejects binaries and invalid UTF-8, then redacts secrets.</summary>
internal static class ProjectFileReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The redacted file and its redaction count, or <c>null</c> when it is not readable UTF-8 text.</summary>
    public static async Task<(ProjectFile File, int Redactions)?> ReadAsync(WalkEntry entry, long maxBytes, CancellationToken ct)
    {
        if (entry.Bytes == 0)
        {
            // Never opened: an empty file has nothing to read, and FIFOs, sockets and devices (which report size 0
            // too) would block the scan forever or fail on open.
            return (new ProjectFile(entry.RelativePath, "", 0, LanguageMap.FromPath(entry.RelativePath)), 0);
        }
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(entry.FullPath, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        if (bytes.Length > maxBytes || SkippedFiles.LooksBinary(bytes))
        {
            return null;
        }
        string text;
        try
        {
            var span = bytes.AsSpan();
            text = StrictUtf8.GetString(span.StartsWith(Encoding.UTF8.Preamble) ? span[3..] : span);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
        var redacted = SecretRedactor.Redact(text, entry.RelativePath, out var count);
        var file = new ProjectFile(entry.RelativePath, redacted, entry.Bytes, LanguageMap.FromPath(entry.RelativePath));
        return (file, count);
    }
}
