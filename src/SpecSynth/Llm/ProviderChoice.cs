using Microsoft.Extensions.AI;

namespace SpecSynth.Llm;

/// <summary>The chat client chosen for a run and the settings to call it with.</summary>
/// <param name="Name">The provider name (<c>claude</c>, <c>openai</c>, <c>ollama</c>, <c>mock</c>).</param>
/// <param name="Model">The model id.</param>
/// <param name="Client">The client; the caller disposes it.</param>
/// <param name="MaxOutputTokens">Maximum output tokens.</param>
/// <param name="Temperature">Temperature, or <c>null</c> to send none.</param>
/// <param name="SystemPrompt">A configured system prompt, or <c>null</c> for the template's.</param>
public sealed record ProviderChoice(string Name, string Model, IChatClient Client, int MaxOutputTokens, float? Temperature, string? SystemPrompt);
