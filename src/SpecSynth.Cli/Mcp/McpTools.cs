using System.Text.Json;
using ModelContextProtocol.Protocol;

namespace SpecSynth.Cli.Mcp;

/// <summary>The tools the server offers: names, descriptions a model can use well, and JSON schemas of their arguments.</summary>
internal static class McpTools
{
    private const string Provider = """
        "provider": { "type": "string", "description": "Provider or fallback chain (claude, openai, azure, ollama, mock; e.g. claude,openai). Default: the project's specsynth.toml." },
        "model": { "type": "string", "description": "The first provider's model id. Default: the configured one." }
        """;

    private const string MaxCost = """
        "max_cost": { "type": "number", "minimum": 0, "description": "The most this call may spend, in USD; a request whose worst case does not fit is not sent (budget_exceeded)." }
        """;

    private const string Spec = """
        "spec": { "type": "string", "description": "The spec (markdown) file, relative to the project folder. Give this or spec_text." },
        "spec_text": { "type": "string", "description": "The spec's markdown text, when it is not a file." },
        "spec_name": { "type": "string", "description": "The name of a spec_text spec in results and history. Default spec.md." }
        """;

    public static IReadOnlyList<Tool> All { get; } =
    [
        Tool("context", "Plan the prompt `generate` would send for a spec, without calling a model: each context item with its tokens, " +
            "whether it is included and why, and the total against the budget (the object `specsynth context --json` prints).",
            $$"""
            { "type": "object", "properties": {
                "spec": { "type": "string", "description": "The spec (markdown) file, relative to the project folder." },
                "out": { "type": "string", "description": "The output folder generate would write to, inside the project. Default: the project." },
                "budget": { "type": "integer", "minimum": 1, "description": "Tokens the whole prompt may take, instead of the model's window." },
                "show_prompt": { "type": "boolean", "description": "Include the planned prompt messages themselves. Default false." },
                {{Provider}} },
              "required": ["spec"], "additionalProperties": false }
            """, readOnly: true),
        Tool("generate", "Generate the code a markdown spec asks for, validated (and repaired) like `specsynth generate`. By default a DRY RUN: " +
            "nothing is written; the result has the unified diff and a dry_run_id to pass to `apply` once the person has seen the diff. " +
            "Returns the object `specsynth generate --json` prints, plus `diff` and `dry_run_id`.",
            $$"""
            { "type": "object", "properties": {
                {{Spec}},
                "out": { "type": "string", "description": "The output folder, inside the project. Default: the project folder." },
                "dry_run": { "type": "boolean", "default": true, "description": "Plan and diff only, write nothing (default true). false writes at once (journaled: `undo` restores)." },
                "continue": { "type": "string", "description": "An instruction that continues the spec's latest conversation (e.g. 'add input validation')." },
                "repair_rounds": { "type": "integer", "minimum": 0, "maximum": 10, "description": "Rounds of asking the model to fix invalid files. Default 2." },
                "self_review": { "type": "boolean", "description": "Also ask the model to review the result against the spec's requirements." },
                "edit_format": { "type": "string", "enum": ["auto", "whole", "edit"], "description": "What to ask for existing files: SEARCH/REPLACE edits for large files (auto, the default), whole files, or edits." },
                {{Provider}},
                {{MaxCost}} },
              "additionalProperties": false }
            """),
        Tool("apply", "Write exactly the files a `generate` dry run showed (by its dry_run_id), all or nothing, journaled so `undo` restores them. " +
            "Refused when any of those files changed on disk since the dry run; a dry run is applied at most once.",
            """
            { "type": "object", "properties": {
                "dry_run_id": { "type": "string", "description": "The dry_run_id a generate dry run returned." } },
              "required": ["dry_run_id"], "additionalProperties": false }
            """),
        Tool("undo", "Restore exactly what the last writing run (generate or apply) in this project changed: delete the files it created, " +
            "restore the ones it modified. Refused when the last run wrote outside this project.",
            """
            { "type": "object", "properties": {
                "force": { "type": "boolean", "description": "Undo even if files were edited after the run. Default false." } },
              "additionalProperties": false }
            """, destructive: true),
        Tool("explain", "Explain how code works and, with a spec, how it implements the spec (the object `specsynth explain --json` prints).",
            $$"""
            { "type": "object", "properties": {
                "files": { "type": "array", "items": { "type": "string" }, "minItems": 1, "description": "The code files, relative to the project folder." },
                "spec": { "type": "string", "description": "The spec the code implements, relative to the project folder." },
                {{Provider}},
                {{MaxCost}} },
              "required": ["files"], "additionalProperties": false }
            """, readOnly: true),
        Tool("review", "Review code against a spec's requirements: each requirement met / partly / not met with evidence, and issues with " +
            "severity and location (the object `specsynth review --json` prints).",
            $$"""
            { "type": "object", "properties": {
                "files": { "type": "array", "items": { "type": "string" }, "minItems": 1, "description": "The code files, relative to the project folder." },
                "spec": { "type": "string", "description": "The spec or requirements (markdown) file whose requirements to check." },
                {{Provider}},
                {{MaxCost}} },
              "required": ["files"], "additionalProperties": false }
            """, readOnly: true),
        Tool("usage", "Requests, tokens, cost, cache hits and errors from specsynth's usage ledger, for this project (or every project), overall and per group.",
            """
            { "type": "object", "properties": {
                "since": { "type": "string", "description": "Only calls since a UTC date (2026-12-01), a UTC time, or a span back from now (7d, 24h, 30m)." },
                "by": { "type": "string", "enum": ["provider", "model", "day", "spec", "operation"], "description": "Also total per group." },
                "all_projects": { "type": "boolean", "description": "Every project's calls, not only this project's. Default false." } },
              "additionalProperties": false }
            """, readOnly: true),
        Tool("models", "The models specsynth knows (context window, output maximum, list prices per million tokens), optionally of one provider.",
            """
            { "type": "object", "properties": {
                "provider": { "type": "string", "description": "Only this provider's models (claude, openai, ollama)." } },
              "additionalProperties": false }
            """, readOnly: true),
    ];

    private static Tool Tool(string name, string description, string schema, bool readOnly = false, bool destructive = false) => new()
    {
        Name = name,
        Description = description,
        InputSchema = JsonDocument.Parse(schema).RootElement.Clone(),
        Annotations = new ToolAnnotations { ReadOnlyHint = readOnly, DestructiveHint = destructive, OpenWorldHint = false },
    };
}
