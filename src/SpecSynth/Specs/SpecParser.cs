using Markdig;
using Markdig.Extensions.Yaml;

namespace SpecSynth.Specs;

/// <summary>
/// Parses a markdown specification (spec-kit, Kiro, PRP, OpenSpec, gpt-engineer prompts, plain docs) into a
/// <see cref="Specification"/>: title, sections, requirements, language and framework hints, referenced
/// paths and front matter. Thread-safe; parsing a 100 KB document takes a few milliseconds.
/// </summary>
public static class SpecParser
{
    /// <summary>The largest specification accepted, in bytes (5 MB).</summary>
    public const int MaxSizeBytes = 5 * 1024 * 1024;

    /// <summary>The title used when a document has no title, heading or file name.</summary>
    public const string UntitledTitle = "Untitled specification";

    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UseYamlFrontMatter()
        .Build();

    /// <summary>Parses specification text.</summary>
    /// <param name="markdown">The markdown text; a leading BOM is removed.</param>
    /// <param name="sourcePath">The file it came from, used for the fallback title and in error messages.</param>
    /// <exception cref="SpecSynthException">
    /// <see cref="ErrorKind.InvalidInput"/> when the text is empty, binary or larger than <see cref="MaxSizeBytes"/>.
    /// </exception>
    public static Specification Parse(string markdown, string? sourcePath = null)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var text = SpecInput.CheckText(markdown, sourcePath);
        var headlessLength = FrontMatter.FindHeadless(text, out var frontMatter);
        var document = Markdown.Parse(headlessLength > 0 ? FrontMatter.Blank(text, headlessLength) : text, Pipeline);
        if (document.Count > 0 && document[0] is YamlFrontMatterBlock yaml)
        {
            frontMatter = FrontMatter.Flatten(yaml.Lines.ToString());
        }
        var sections = SectionExtractor.Extract(document, text);
        var paths = PathExtractor.Extract(document);
        var lines = SpecLines.Read(document, text);
        var tech = TechInferrer.Infer(document, text, frontMatter, paths, lines);
        var (requirements, tasks) = RequirementExtractor.Extract(document, text);
        var (title, titleSource) = TitleChooser.Choose(frontMatter, text, sections, sourcePath);
        var (warnings, unfilled) = SpecChecker.Check(title, lines, requirements, tasks, tech);
        return new Specification
        {
            Title = title,
            TitleSource = titleSource,
            RawText = text,
            SourcePath = sourcePath,
            Sections = sections,
            Requirements = requirements,
            Tasks = tasks,
            Language = tech.Language,
            Framework = tech.Framework,
            Tech = tech,
            Warnings = warnings,
            IsUnfilledTemplate = unfilled,
            ReferencedPaths = paths,
            FrontMatter = frontMatter,
        };
    }

    /// <summary>Reads and parses a specification file (UTF-8, with or without BOM).</summary>
    /// <param name="path">The file to read.</param>
    /// <exception cref="SpecSynthException">
    /// <see cref="ErrorKind.InvalidInput"/> when the file is missing, a directory, unreadable, empty, binary,
    /// not UTF-8, or larger than <see cref="MaxSizeBytes"/>; the message names the file and the fix.
    /// </exception>
    public static Specification ParseFile(string path) => Parse(SpecInput.ReadFile(path), path);

    /// <summary>Reads and parses a specification file (UTF-8, with or without BOM) asynchronously.</summary>
    /// <param name="path">The file to read.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="SpecSynthException">
    /// <see cref="ErrorKind.InvalidInput"/> when the file is missing, a directory, unreadable, empty, binary,
    /// not UTF-8, or larger than <see cref="MaxSizeBytes"/>; the message names the file and the fix.
    /// </exception>
    public static async Task<Specification> ParseFileAsync(string path, CancellationToken cancellationToken = default)
    {
        var text = await SpecInput.ReadFileAsync(path, cancellationToken).ConfigureAwait(false);
        return Parse(text, path);
    }

    /// <summary>Reads and parses a specification from a stream (standard input), UTF-8 with or without BOM.</summary>
    /// <param name="stream">The stream, read to its end (at most <see cref="MaxSizeBytes"/> + 1 bytes).</param>
    /// <param name="sourcePath">The name the spec goes by (e.g. <c>stdin.md</c>), for the fallback title.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="SpecSynthException">
    /// <see cref="ErrorKind.InvalidInput"/> when the input is empty, binary, not UTF-8, or larger than <see cref="MaxSizeBytes"/>.
    /// </exception>
    public static async Task<Specification> ParseStreamAsync(Stream stream, string sourcePath, CancellationToken cancellationToken = default)
    {
        var text = await SpecInput.ReadStreamAsync(stream, cancellationToken).ConfigureAwait(false);
        return Parse(text, sourcePath);
    }
}
