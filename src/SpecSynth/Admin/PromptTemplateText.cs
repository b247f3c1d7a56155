using SpecSynth.Prompting;

namespace SpecSynth;

/// <summary>The prompt templates a project's runs use (built-in, or the project's <c>.specsynth/prompts/NAME.md</c>), to inspect them.</summary>
public static class PromptTemplateText
{
    /// <summary>The template names: <c>system</c>, <c>generate</c>, <c>explain</c>, <c>review</c>.</summary>
    public static IReadOnlyList<string> Names => PromptTemplates.Names;

    /// <summary>The text of one template for a project.</summary>
    /// <param name="name">One of <see cref="Names"/>.</param>
    /// <param name="projectDirectory">The project folder (its overrides apply), or <c>null</c> for the built-in text.</param>
    /// <exception cref="ArgumentException">Not a template name.</exception>
    public static string Get(string name, string? projectDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!PromptTemplates.Names.Contains(name, StringComparer.Ordinal))
        {
            throw new ArgumentException($"No prompt template '{name}'; the templates are {string.Join(", ", PromptTemplates.Names)}.", nameof(name));
        }
        return PromptTemplates.Load(projectDirectory)[name];
    }
}
