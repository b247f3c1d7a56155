using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace SpecSynth.Cli.Mcp;

/// <summary>
/// <c>specsynth mcp</c>: a Model Context Protocol server over the public service (<see cref="ISpecSynthesizer"/> and the admin
/// facades) for one project folder. Tools are <see cref="McpTools.All"/>; resources are the project's markdown specs
/// (<c>specsynth://specs/PATH</c>) and the last result (<c>specsynth://last-result</c>); prompts are the prompt templates.
/// A failing call is a tool error (<c>isError</c>) carrying the error's kind and exit code; it never stops the server.
/// </summary>
internal sealed class SpecSynthMcpServer
{
    private const string SpecScheme = "specsynth://specs/";
    private const string LastResultUri = "specsynth://last-result";

    private readonly ISpecSynthesizer _synthesizer;
    private readonly McpToolCalls _calls;

    /// <param name="projectRoot">The project folder every path argument is confined to.</param>
    /// <param name="getEnv">Reads an environment variable (keys, <c>SPECSYNTH_HOME</c>).</param>
    /// <param name="time">The clock.</param>
    /// <param name="log">Where warnings go (standard error: never standard output, which carries the protocol).</param>
    /// <param name="logs">The library's loggers (standard error too), or <c>null</c> for none.</param>
    public SpecSynthMcpServer(string projectRoot, Func<string, string?> getEnv, TimeProvider time, TextWriter log,
        Microsoft.Extensions.Logging.ILoggerFactory? logs = null)
    {
        Project = new ProjectFolder(projectRoot);
        _synthesizer = SpecSynthesizerFactory.Create(new SpecSynthOptions
        {
            Environment = getEnv,
            WorkingDirectory = Project.Root,
            ProviderFactory = SpecSynthProviders.Factory,
            SharedState = SpecSynthRedis.Backend,
            LoggerFactory = logs,
        }, time);
        _calls = new McpToolCalls(_synthesizer, Project, getEnv, time, log);
    }

    /// <summary>The project folder.</summary>
    public ProjectFolder Project { get; }

    /// <summary>The server's options: identity, capabilities and handlers.</summary>
    public McpServerOptions Options() => new()
    {
        ServerInfo = new Implementation
        {
            Name = "specsynth",
            Version = typeof(SpecSynthMcpServer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0",
        },
        Capabilities = new ServerCapabilities { Tools = new(), Resources = new(), Prompts = new() },
        ServerInstructions = "specsynth turns markdown specs into code in the project folder " + Project.Root + ". Use `context` to see what " +
            "would be sent, `generate` (a dry run by default) to get the files and their diff, show the diff to the person, then `apply` " +
            "its dry_run_id to write them; `undo` restores the last write. Paths are relative to the project folder and must stay inside it.",
        Handlers = new McpServerHandlers
        {
            ListToolsHandler = (_, _) => ValueTask.FromResult(new ListToolsResult { Tools = [.. McpTools.All] }),
            CallToolHandler = (request, ct) => _calls.CallAsync(request, ct),
            ListResourcesHandler = (_, _) => ValueTask.FromResult(ListResources()),
            ReadResourceHandler = (request, ct) => ReadResourceAsync(request.Params?.Uri ?? "", ct),
            ListPromptsHandler = (_, _) => ValueTask.FromResult(ListPrompts()),
            GetPromptHandler = (request, _) => ValueTask.FromResult(GetPrompt(request.Params?.Name ?? "")),
        },
    };

    /// <summary>Serves MCP over a pair of streams (standard input and output, or a test's pipe) until the client disconnects
    /// or <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task RunAsync(Stream input, Stream output, CancellationToken cancellationToken)
    {
        var transport = new StreamServerTransport(input, output, "specsynth");
        await using (transport.ConfigureAwait(false))
        {
            var server = McpServer.Create(transport, Options());
            await using (server.ConfigureAwait(false))
            {
                await server.RunAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private ListResourcesResult ListResources()
    {
        var resources = new List<Resource>
        {
            new() { Uri = LastResultUri, Name = "last-result", Description = "The result of the last tool call of this session (JSON).", MimeType = "application/json" },
        };
        resources.AddRange(Specs().Select(relative => new Resource
        {
            Uri = SpecScheme + relative,
            Name = relative,
            Description = "A markdown file of the project (a spec to generate from).",
            MimeType = "text/markdown",
        }));
        return new ListResourcesResult { Resources = resources };
    }

    private async ValueTask<ReadResourceResult> ReadResourceAsync(string uri, CancellationToken cancellationToken)
    {
        if (uri == LastResultUri)
        {
            return Contents(uri, "application/json", _calls.LastResult ?? "null");
        }
        if (!uri.StartsWith(SpecScheme, StringComparison.Ordinal))
        {
            throw new ModelContextProtocol.McpException($"Unknown resource '{uri}'.");
        }
        var relative = Uri.UnescapeDataString(uri[SpecScheme.Length..]);
        string full;
        try
        {
            full = Project.Confine(relative, "uri");
        }
        catch (SpecSynthException ex)
        {
            throw new ModelContextProtocol.McpException(ex.Message);
        }
        if (!full.EndsWith(".md", StringComparison.OrdinalIgnoreCase) || !File.Exists(full))
        {
            throw new ModelContextProtocol.McpException($"No spec '{relative}' in the project.");
        }
        return Contents(uri, "text/markdown", await File.ReadAllTextAsync(full, cancellationToken).ConfigureAwait(false));
    }

    private static ReadResourceResult Contents(string uri, string mimeType, string text) =>
        new() { Contents = [new TextResourceContents { Uri = uri, MimeType = mimeType, Text = text }] };

    /// <summary>The project's markdown files (no hidden, build or dependency folders), at most 500.</summary>
    private IEnumerable<string> Specs()
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.Hidden };
        string[] skipped = ["bin", "obj", "node_modules", "out", "dist", "target"];
        return Directory.EnumerateFiles(Project.Root, "*.md", options)
            .Select(Project.Relative)
            .Where(r => !r.Split('/').SkipLast(1).Any(part => part.StartsWith('.') || skipped.Contains(part, StringComparer.OrdinalIgnoreCase)))
            .Order(StringComparer.Ordinal)
            .Take(500);
    }

    private static ListPromptsResult ListPrompts() => new()
    {
        Prompts = [.. PromptTemplateText.Names.Select(name => new Prompt
        {
            Name = name,
            Description = $"specsynth's '{name}' prompt template for this project (built-in, or .specsynth/prompts/{name}.md), to inspect it.",
        })],
    };

    private GetPromptResult GetPrompt(string name)
    {
        if (!PromptTemplateText.Names.Contains(name, StringComparer.Ordinal))
        {
            throw new ModelContextProtocol.McpException($"No prompt '{name}'; the prompts are {string.Join(", ", PromptTemplateText.Names)}.");
        }
        return new GetPromptResult
        {
            Description = $"The '{name}' prompt template",
            Messages = [new PromptMessage { Role = Role.User, Content = new TextContentBlock { Text = PromptTemplateText.Get(name, Project.Root) } }],
        };
    }

    internal static JsonObject ToJson<T>(T value) => JsonSerializer.SerializeToNode(value, CliJson.Options)!.AsObject();
}
