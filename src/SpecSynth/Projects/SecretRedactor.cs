namespace SpecSynth.Projects;

/// <summary>
/// Replaces secret-looking values in text with <see cref="Marker"/>, keeping key names and surrounding syntax:
/// private key blocks (PEM, OpenSSH, PGP) entirely; Anthropic/OpenAI, AWS, GitHub, Slack, Google, Stripe keys,
/// JWTs and bearer tokens; passwords in connection strings and URL user info; values assigned to secret-looking
/// keys (<c>api_key</c>, <c>client_secret</c>, <c>password</c>, <c>token</c>, ...) unless they are placeholders
/// (<c>${VAR}</c>, <c>&lt;key&gt;</c>, <c>changeme</c>, ...). In source code only quoted literals assigned to such keys
/// are redacted (<c>password = input.Password</c> stays); in config files an unquoted value is redacted too.
/// Linear time: each rule runs only when its literal anchor occurs. Thread-safe.
/// This is the one redactor: prompts (<see cref="SpecSynth.Middleware.RedactingChatClient"/>), the audit log, history, errors and
/// warnings on stderr, <c>--json</c> errors and <c>--dry-run</c> diffs all pass through it, and every URL shown to the
/// user through <see cref="MaskUrl(string)"/>.
/// </summary>
internal static class SecretRedactor
{
    /// <summary>The text that replaces each secret.</summary>
    public const string Marker = "[REDACTED]";

    /// <summary>Redacts <paramref name="text"/>, treating it as source code (only quoted literals count as assigned values).</summary>
    /// <param name="text">The text to redact.</param>
    /// <param name="count">How many secrets were replaced.</param>
    /// <returns>The redacted text; the same instance when nothing was found.</returns>
    public static string Redact(string text, out int count) => Redact(text, null, out count);

    /// <summary>Redacts <paramref name="text"/> read from <paramref name="path"/>, whose extension decides whether
    /// unquoted values count (YAML, TOML, INI, properties, env, XML, shell, Dockerfile) or not (code, JSON, prose).</summary>
    /// <param name="text">The text to redact.</param>
    /// <param name="path">The file name or path, or <c>null</c> for source code.</param>
    /// <param name="count">How many secrets were replaced.</param>
    /// <returns>The redacted text; the same instance when nothing was found.</returns>
    public static string Redact(string text, string? path, out int count)
    {
        ArgumentNullException.ThrowIfNull(text);
        count = 0;
        text = PrivateKeyBlocks.Redact(text, ref count);
        foreach (var rule in SecretPatterns.TriggeredBy(text))
        {
            text = rule.Apply(text, ref count);
        }
        return SecretAssignments.Redact(text, RedactionModes.FromPath(path), ref count);
    }

    /// <summary>Redacts <paramref name="text"/> (as source code) and returns only the result.</summary>
    /// <param name="text">The text to redact.</param>
    /// <returns>The redacted text; the same instance when nothing was found.</returns>
    public static string Redact(string text) => Redact(text, null, out _);

    /// <summary><paramref name="url"/> for display: user info replaced by <c>***@</c> and query values (other than
    /// <c>*version</c> parameters) by <c>***</c>. Every URL specsynth prints (providers, Redis, cache) goes through it.</summary>
    /// <param name="url">An absolute URL, or <c>host:port</c> with optional user info.</param>
    /// <returns>The masked URL; the same text when it holds no credentials.</returns>
    public static string MaskUrl(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return SecretUrls.MaskUrl(url);
    }

    /// <summary><paramref name="url"/> for display (see <see cref="MaskUrl(string)"/>).</summary>
    /// <param name="url">The URL.</param>
    /// <returns>The masked URL.</returns>
    public static string MaskUrl(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return SecretUrls.MaskUrl(url.IsAbsoluteUri ? url.AbsoluteUri : url.OriginalString);
    }
}
