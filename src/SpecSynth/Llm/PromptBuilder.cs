using System.Text;
using Microsoft.Extensions.AI;
using SpecSynth.Projects;
using SpecSynth.Specs;

namespace SpecSynth.Llm;

/// <summary>
/// Builds the messages for the three operations from the templates. User material (spec, files, code) is
/// placed inside delimiting elements with their closing tags neutralised, so it stays data. The system prompt
/// and the project material come first and the spec last, so repeated requests share a stable prefix.
/// </summary>
public sealed class PromptBuilder(PromptTemplates templates)
{
    /// <summary>How many characters of existing files go into a generate prompt. Default 120,000 (~30k tokens).</summary>
    public int ExistingFilesBudgetChars { get; init; } = 120_000;

    /// <summary>How many paths of the project tree are listed at most. Default 400.</summary>
    public int MaxTreeEntries { get; init; } = 400;

    /// <summary>A builder that sends a quarter of the existing files and a quarter of the tree: the fallback when a
    /// provider answers that the prompt is longer than its context window.</summary>
    public PromptBuilder Shrunk() => new(Templates)
    {
        ExistingFilesBudgetChars = ExistingFilesBudgetChars / 4,
        MaxTreeEntries = Math.Max(20, MaxTreeEntries / 4),
    };

    /// <summary>The templates in use.</summary>
    public PromptTemplates Templates { get; } = templates;

    /// <summary>Builds the code-generation prompt.</summary>
    public ChatPrompt BuildGenerate(Specification spec, ProjectContext project, string? systemPrompt = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(project);
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["language"] = spec.Language ?? project.Language ?? "choose the best fit for the specification",
            ["framework"] = spec.Framework ?? project.Framework ?? "none specified",
            ["project_tree"] = Tree(project),
            ["existing_files"] = ExistingFiles(spec, project),
            ["title"] = TemplateRenderer.EscapeData(spec.Title, "specification").Replace("\"", "'", StringComparison.Ordinal),
            ["specification"] = TemplateRenderer.EscapeData(spec.RawText.Trim(), "specification"),
            ["requirements"] = Requirements(spec.Requirements),
        };
        return Prompt(systemPrompt, TemplateRenderer.Render(Templates["generate"], values));
    }

    /// <summary>Builds the explain prompt. <paramref name="code"/> may already be <c>&lt;code path=…&gt;</c> blocks.</summary>
    public ChatPrompt BuildExplain(string code, Specification? spec, string? systemPrompt = null)
    {
        ArgumentNullException.ThrowIfNull(code);
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["spec_clause"] = spec is null ? "" : $" and how it implements the specification \"{spec.Title}\"",
            ["code"] = CodeElement(code),
            ["specification_block"] = spec is null ? "" :
                $"<specification title=\"{spec.Title.Replace("\"", "'", StringComparison.Ordinal)}\">\n{TemplateRenderer.EscapeData(spec.RawText.Trim(), "specification")}\n</specification>",
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
            Templates.Version);

    private static string CodeElement(string code) =>
        code.TrimStart().StartsWith("<code", StringComparison.Ordinal) ? code : $"<code>\n{TemplateRenderer.EscapeData(code, "code")}\n</code>";

    private static string Requirements(IReadOnlyList<Requirement> requirements) =>
        requirements.Count == 0
            ? "(none listed separately; follow the specification)"
            : string.Join('\n', requirements.Select(r => "- " + (r.Id is null ? "" : r.Id + ": ") + TemplateRenderer.EscapeData(r.Text, "requirements")));

    private string Tree(ProjectContext project)
    {
        if (project.Tree.Count == 0)
        {
            return "(empty: a new project)";
        }
        var shown = project.Tree.Take(MaxTreeEntries).ToList();
        var more = project.Tree.Count - shown.Count;
        return string.Join('\n', shown) + (more > 0 ? $"\n… and {more} more files" : "");
    }

    private string ExistingFiles(Specification spec, ProjectContext project)
    {
        if (project.Files.Count == 0)
        {
            return "(none)";
        }
        var referenced = new HashSet<string>(spec.ReferencedPaths, StringComparer.OrdinalIgnoreCase);
        var ordered = project.Files
            .OrderByDescending(f => referenced.Contains(f.Path) || referenced.Any(r => f.Path.EndsWith("/" + r, StringComparison.OrdinalIgnoreCase)))
            .ThenBy(f => f.Content.Length);
        var sb = new StringBuilder();
        var omitted = 0;
        foreach (var file in ordered)
        {
            if (sb.Length + file.Content.Length > ExistingFilesBudgetChars)
            {
                omitted++;
                continue;
            }
            sb.Append("<file path=\"").Append(file.Path).Append("\">\n")
              .Append(TemplateRenderer.EscapeData(file.Content, "file")).Append("\n</file>\n");
        }
        if (omitted > 0)
        {
            sb.Append("(").Append(omitted).Append(" more files omitted for space; see the project structure)\n");
        }
        return sb.ToString().TrimEnd();
    }
}
