using Microsoft.Extensions.AI;

namespace SpecSynth.Prompting;

/// <summary>The messages for one request and the template version they were built from.</summary>
/// <param name="Messages">System message first, then the user message.</param>
/// <param name="TemplateVersion">The <see cref="PromptTemplates.Version"/> used.</param>
internal sealed record ChatPrompt(IReadOnlyList<ChatMessage> Messages, string TemplateVersion);
