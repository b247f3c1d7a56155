using System.Text;
using SpecSynth.Context;
using Microsoft.Extensions.AI;
using SpecSynth.Projects;
using SpecSynth.Specs;

namespace SpecSynth.Prompting;

/// <summary>
/// Builds the messages for the three operations from the templates. User material (spec, files, code) is
/// placed inside delimiting elements with their closing tags neutralised, so it stays data.
/// The generate prompt is laid out for prompt caching: the system prompt, then the project structure and the project
/// files (sorted by path, so the text does not depend on the spec), then the volatile part (previous implementations,
/// the spec, its requirements, the request). The template's <c>{{cache_breakpoint}}</c> lines split the user message
/// into text contents; each one before the last is marked with <see cref="PromptCaching.MarkBreakpoint{T}"/>.
/// </summary>
internal sealed class PromptBuilder(PromptTemplates templates)
{
    /// <summary>The placeholder line that ends a stable part of the generate template.</summary>
    public const string CacheBreakpoint = "{{cache_breakpoint}}";

    /// <summary>The templates in use.</summary>
    public PromptTemplates Templates { get; } = templates;

    /// <summary>Renders the generate prompt of a plan: the items it sends, in the template's layout.</summary>
    public ChatPrompt BuildGenerate(Specification spec, ProjectContext project, ContextPlan plan, string? systemPrompt = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(plan);
        return BuildGenerate(spec, project, plan.Items, systemPrompt, null);
    }

    /// <summary>Renders the generate prompt from planned items; without a spec, the spec's parts are left empty (the
    /// template alone, as the planner counts it).</summary>
    internal ChatPrompt BuildGenerate(Specification? spec, ProjectContext project, IReadOnlyList<ContextItem> items, string? systemPrompt,
        Edits.EditPolicy? edits)
    {
        var values = spec is null
            ? SpecValues(null, null, null)
            : SpecValues(spec, project.Language, project.Framework);
        var tree = items.FirstOrDefault(i => i.Kind == ContextItemKind.ProjectTree && i.State is ContextItemState.Whole or ContextItemState.Trimmed);
        values["project_tree"] = tree?.Text.TrimEnd() ?? "(not shown)";
        var files = items.Where(i => i.Kind == ContextItemKind.File && i.State is ContextItemState.Whole or ContextItemState.Outline)
            .OrderBy(i => i.Path, StringComparer.Ordinal).ToList();
        values["existing_files"] = files.Count == 0 ? "(none)" : string.Concat(files.Select(f => f.Text)).TrimEnd();
        var previous = items.Where(i => i.Kind == ContextItemKind.PreviousImplementation && i.State is ContextItemState.Whole or ContextItemState.Outline)
            .OrderBy(i => i.Path, StringComparer.Ordinal).ToList();
        values["previous_implementations"] = previous.Count == 0 ? "" : PreviousHeader + string.Concat(previous.Select(f => f.Text));
        values["edit_format"] = EditInstructions.For(EditInstructions.Files(items, edits ?? Edits.EditPolicy.Default));
        var contents = new List<AIContent>();
        var segments = Segments(Templates["generate"]);
        for (var s = 0; s < segments.Count; s++)
        {
            var text = TemplateRenderer.Render(segments[s], values);
            if (text.Trim().Length == 0)
            {
                continue;
            }
            contents.Add(new TextContent(text));
            if (s < segments.Count - 1)
            {
                PromptCaching.MarkBreakpoint(contents[^1]);
            }
        }
        if (contents.Count == 0)
        {
            contents.Add(new TextContent(""));
        }
        return new ChatPrompt([new ChatMessage(ChatRole.System, systemPrompt ?? Templates["system"]), new ChatMessage(ChatRole.User, contents)],
            Templates);
    }

    /// <summary>The heading of the previous implementations (part of their placeholder's value, since it only shows with them).</summary>
    internal const string PreviousHeader = "## Previous implementations\nThe files earlier turns of this conversation wrote, as they are now:\n";

    /// <summary>Whether the generate template has the placeholder <paramref name="name"/> (without it, that part of the
    /// context is never rendered).</summary>
    internal bool GenerateUses(string name)
    {
        foreach (var segment in Segments(Templates["generate"]))
        {
            if (HasPlaceholder(segment, name))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Whether <paramref name="text"/> holds <c>{{name}}</c> with any white space (<c>\s</c>: <see cref="char.IsWhiteSpace(char)"/>)
    /// inside the braces: what the regex <c>\{\{\s*name\s*\}\}</c> finds, for a <paramref name="name"/> that neither starts
    /// nor ends with white space, without the regex engine (in a warm <c>context</c> run nothing else would use it: its parser,
    /// cache and interpreter are first uses, JIT-compiled generics among them).</summary>
    internal static bool HasPlaceholder(string text, string name)
    {
        for (var open = text.IndexOf("{{", StringComparison.Ordinal); open >= 0; open = text.IndexOf("{{", open + 1, StringComparison.Ordinal))
        {
            var at = SkipWhiteSpace(text, open + 2);
            if (!text.AsSpan(at).StartsWith(name, StringComparison.Ordinal))
            {
                continue;
            }
            at = SkipWhiteSpace(text, at + name.Length);
            if (at + 1 < text.Length && text[at] == '}' && text[at + 1] == '}')
            {
                return true;
            }
        }
        return false;
    }

    private static int SkipWhiteSpace(string text, int at)
    {
        while (at < text.Length && char.IsWhiteSpace(text[at]))
        {
            at++;
        }
        return at;
    }

    /// <summary>The text a project file adds to the prompt: whole, or its outline.</summary>
    internal static string FileFragment(string path, string content, bool outline) =>
        "<file path=\"" + path.Replace("\"", "'", StringComparison.Ordinal) + (outline ? "\" view=\"outline\">\n" : "\">\n")
        + TemplateRenderer.EscapeData(content, "file") + "\n</file>\n";

    /// <summary>The spec's values: language, framework, title, specification, requirements (empty without a spec).</summary>
    /// <remarks>Language and framework: what the spec states, else the project's detected ecosystem, else what the
    /// spec's content implies (<see cref="TechInference.Resolve"/>).</remarks>
    internal static Dictionary<string, string> SpecValues(Specification? spec, string? projectLanguage, string? projectFramework)
    {
        var tech = spec?.ResolveTech(projectLanguage, projectFramework);
        return new(StringComparer.Ordinal)
        {
            ["language"] = tech is null ? "" : tech.LanguageText,
            ["framework"] = tech is null ? "" : tech.FrameworkText,
            ["title"] = spec is null ? "" : TemplateRenderer.EscapeData(SpecText(spec.Title), "specification").Replace("\"", "'", StringComparison.Ordinal),
            ["specification"] = spec is null ? "" : TemplateRenderer.EscapeData(SpecText(spec.RawText.Trim()), "specification"),
            ["requirements"] = spec is null ? "" : Requirements(spec.Requirements),
        };
    }

    // The template split at its {{cache_breakpoint}} lines (the marker's own line end is dropped).
    private static List<string> Segments(string template)
    {
        var parts = template.Split(CacheBreakpoint);
        for (var i = 1; i < parts.Length; i++)
        {
            parts[i] = parts[i].StartsWith("\r\n", StringComparison.Ordinal) ? parts[i][2..] : parts[i].StartsWith('\n') ? parts[i][1..] : parts[i];
        }
        return [.. parts];
    }

    /// <summary>Builds the explain prompt. <paramref name="code"/> may already be <c>&lt;code path=…&gt;</c> blocks.</summary>
    public ChatPrompt BuildExplain(string code, Specification? spec, string? systemPrompt = null)
    {
        ArgumentNullException.ThrowIfNull(code);
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["spec_clause"] = spec is null ? "" : $" and how it implements the specification \"{SpecText(spec.Title)}\"",
            ["code"] = CodeElement(code),
            ["specification_block"] = spec is null ? "" :
                $"<specification title=\"{SpecText(spec.Title).Replace("\"", "'", StringComparison.Ordinal)}\">\n{TemplateRenderer.EscapeData(SpecText(spec.RawText.Trim()), "specification")}\n</specification>",
        };
        return Prompt(systemPrompt, TemplateRenderer.Render(Templates["explain"], values));
    }

    /// <summary>Builds the review prompt.</summary>
    public ChatPrompt BuildReview(string code, IReadOnlyList<Requirement> requirements, string? systemPrompt = null)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(requirements);
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["requirements"] = Requirements(requirements),
            ["code"] = CodeElement(code),
        };
        return Prompt(systemPrompt, TemplateRenderer.Render(Templates["review"], values));
    }

    /// <summary>Formats files as <c>&lt;code path="…"&gt;</c> elements, the form explain and review expect.</summary>
    public static string FormatCode(IEnumerable<(string Path, string Content)> files)
    {
        var sb = new StringBuilder();
        foreach (var (path, content) in files)
        {
            sb.Append("<code path=\"").Append(path.Replace("\"", "'", StringComparison.Ordinal)).Append("\">\n")
              .Append(TemplateRenderer.EscapeData(content, "code")).Append("\n</code>\n");
        }
        return sb.ToString();
    }

    private ChatPrompt Prompt(string? systemPrompt, string user) =>
        new([new ChatMessage(ChatRole.System, systemPrompt ?? Templates["system"]), new ChatMessage(ChatRole.User, user)],
            Templates);

    private static string CodeElement(string code) =>
        code.TrimStart().StartsWith("<code", StringComparison.Ordinal) ? code : $"<code>\n{TemplateRenderer.EscapeData(code, "code")}\n</code>";

    private static string Requirements(IReadOnlyList<Requirement> requirements) =>
        requirements.Count == 0
            ? "(none listed separately; follow the specification)"
            : string.Join('\n', requirements.Select(r => "- " + (r.Id is null ? "" : r.Id + ": ") + TemplateRenderer.EscapeData(SpecText(r.Text), "requirements")));

    /// <summary>Spec text (title, body, a requirement) redacted as a markdown document, as it would be if read as a project file.</summary>
    private static string SpecText(string text) => SecretRedactor.Redact(text, "spec.md", out _);
}
