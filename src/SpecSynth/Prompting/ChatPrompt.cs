using Microsoft.Extensions.AI;

namespace SpecSynth.Prompting;

/// <summary>The messages for one request and the template version they were built from.</summary>
/// <param name="Messages">System message first, then the user message.</param>
/// <param name="TemplateVersion">The <see cref="PromptTemplates.Version"/> used.</param>
internal sealed record ChatPrompt(IReadOnlyList<ChatMessage> Messages, string TemplateVersion)
{
    private readonly PromptTemplates? _templates;
    private string? _templateVersion = TemplateVersion;

    /// <summary>A prompt built from <paramref name="templates"/>, whose version is read (hashed, the first time) only when
    /// asked for: a request's cache key and history ask, a context plan never does.</summary>
    public ChatPrompt(IReadOnlyList<ChatMessage> messages, PromptTemplates templates)
        : this(messages, (string)null!) => _templates = templates;

    /// <summary>The <see cref="PromptTemplates.Version"/> used.</summary>
    public string TemplateVersion
    {
        get => _templateVersion ??= _templates!.Version;
        init => _templateVersion = value;
    }

    /// <summary>Equal messages (the same list) and the same template version, however it was given.</summary>
    public bool Equals(ChatPrompt? other) =>
        other is not null && Equals(Messages, other.Messages) && string.Equals(TemplateVersion, other.TemplateVersion, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Messages, TemplateVersion);
}
