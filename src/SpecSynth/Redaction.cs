namespace SpecSynth;

/// <summary>
/// The redactor specsynth runs on prompts, the audit log, history, errors and diffs, for a host's own output: secret-looking
/// values (API keys, tokens, private key blocks, passwords in URLs and connection strings, values assigned to secret-looking
/// keys) become <see cref="Marker"/>. Thread-safe.
/// </summary>
public static class Redaction
{
    /// <summary>The text that replaces each secret.</summary>
    public const string Marker = Projects.SecretRedactor.Marker;

    /// <summary>Redacts <paramref name="text"/>, treating it as source code (only quoted literals count as assigned values).</summary>
    /// <param name="text">The text to redact.</param>
    /// <returns>The redacted text; the same instance when nothing was found.</returns>
    public static string Redact(string text) => Projects.SecretRedactor.Redact(text);
}
