using System.Buffers;
using System.Text;
using System.Text.Json;
using SpecSynth.Context;

namespace SpecSynth.Cli.Commands;

/// <summary>
/// <c>context --json</c>'s output, written field by field with a <see cref="Utf8JsonWriter"/>: byte for byte what
/// <c>JsonSerializer.Serialize(plan, CliJson.Options)</c> writes (same names, order, indentation, escaping, nulls and enum
/// names), without the serializer's reflection metadata, which a ReadyToRun build cannot precompile (~200 methods
/// JIT-compiled on every run).
/// </summary>
internal static class ContextJson
{
    /// <summary>The writer settings of <see cref="CliJson.Options"/> (indented, relaxed escaping), kept apart from it so
    /// the serializer's options (and its converters) are never built on this path.</summary>
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The JSON text of <paramref name="plan"/>.</summary>
    public static string Write(ContextResult plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            Result(json, plan);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void Result(Utf8JsonWriter json, ContextResult plan)
    {
        json.WriteStartObject();
        json.WriteString("spec", plan.Spec);
        json.WriteString("project", plan.Project);
        json.WritePropertyName("budget");
        Budget(json, plan.Budget);
        json.WriteNumber("template_tokens", plan.TemplateTokens);
        json.WriteNumber("item_tokens", plan.ItemTokens);
        json.WriteNumber("total_tokens", plan.TotalTokens);
        json.WriteBoolean("exact", plan.Exact);
        json.WritePropertyName("items");
        if (StartArray(json, plan.Items))
        {
            foreach (var item in plan.Items)
            {
                Item(json, item);
            }
            json.WriteEndArray();
        }
        json.WritePropertyName("providers");
        if (StartArray(json, plan.Providers))
        {
            foreach (var fit in plan.Providers)
            {
                Fit(json, fit);
            }
            json.WriteEndArray();
        }
        json.WriteNumber("cache_breakpoints", plan.CacheBreakpoints);
        json.WritePropertyName("messages");
        if (StartArray(json, plan.Messages))
        {
            foreach (var message in plan.Messages!)
            {
                Message(json, message);
            }
            json.WriteEndArray();
        }
        json.WriteString("warning", plan.Warning);
        json.WritePropertyName("understood");
        Understood(json, plan.Understood);
        json.WriteEndObject();
    }

    private static void Budget(Utf8JsonWriter json, ContextBudgetView? budget)
    {
        if (budget is null)
        {
            json.WriteNullValue();
            return;
        }
        json.WriteStartObject();
        json.WriteString("provider", budget.Provider);
        json.WriteString("model", budget.Model);
        Number(json, "context_window", budget.ContextWindow);
        json.WriteNumber("reply_reservation", budget.ReplyReservation);
        json.WriteNumber("margin", budget.Margin);
        json.WriteNumber("prompt_limit", budget.PromptLimit);
        json.WriteBoolean("exact_count", budget.ExactCount);
        Number(json, "configured_budget", budget.ConfiguredBudget);
        json.WriteEndObject();
    }

    private static void Fit(Utf8JsonWriter json, ContextFitView? fit)
    {
        if (fit is null)
        {
            json.WriteNullValue();
            return;
        }
        json.WriteStartObject();
        json.WritePropertyName("budget");
        Budget(json, fit.Budget);
        json.WriteNumber("prompt_tokens", fit.PromptTokens);
        json.WriteBoolean("exact", fit.Exact);
        json.WriteEndObject();
    }

    private static void Item(Utf8JsonWriter json, ContextItemView? item)
    {
        if (item is null)
        {
            json.WriteNullValue();
            return;
        }
        json.WriteStartObject();
        json.WritePropertyName("kind");
        EnumValue(json, item.Kind switch
        {
            ContextItemKind.Specification => "specification",
            ContextItemKind.File => "file",
            ContextItemKind.ProjectTree => "project_tree",
            ContextItemKind.PreviousImplementation => "previous_implementation",
            _ => null,
        }, (int)item.Kind);
        json.WriteString("path", item.Path);
        json.WriteNumber("tokens", item.Tokens);
        json.WritePropertyName("state");
        EnumValue(json, item.State switch
        {
            ContextItemState.Whole => "whole",
            ContextItemState.Outline => "outline",
            ContextItemState.PathOnly => "path_only",
            ContextItemState.Trimmed => "trimmed",
            ContextItemState.Dropped => "dropped",
            _ => null,
        }, (int)item.State);
        json.WritePropertyName("reasons");
        Strings(json, item.Reasons);
        json.WriteEndObject();
    }

    private static void Message(Utf8JsonWriter json, ContextMessageView? message)
    {
        if (message is null)
        {
            json.WriteNullValue();
            return;
        }
        json.WriteStartObject();
        json.WriteString("role", message.Role);
        json.WritePropertyName("contents");
        if (StartArray(json, message.Contents))
        {
            foreach (var content in message.Contents)
            {
                if (content is null)
                {
                    json.WriteNullValue();
                    continue;
                }
                json.WriteStartObject();
                json.WriteString("text", content.Text);
                json.WriteBoolean("cache_breakpoint", content.CacheBreakpoint);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        json.WriteEndObject();
    }

    private static void Understood(Utf8JsonWriter json, UnderstoodSpec? spec)
    {
        if (spec is null)
        {
            json.WriteNullValue();
            return;
        }
        json.WriteStartObject();
        json.WriteString("title", spec.Title);
        json.WriteString("title_source", spec.TitleSource);
        json.WriteString("language", spec.Language);
        json.WritePropertyName("other_languages");
        Strings(json, spec.OtherLanguages);
        json.WriteString("language_source", spec.LanguageSource);
        json.WriteString("framework", spec.Framework);
        json.WriteString("framework_source", spec.FrameworkSource);
        json.WritePropertyName("language_evidence");
        Evidence(json, spec.LanguageEvidence);
        json.WritePropertyName("framework_evidence");
        Evidence(json, spec.FrameworkEvidence);
        json.WriteNumber("requirements", spec.Requirements);
        json.WriteNumber("tasks", spec.Tasks);
        json.WritePropertyName("warnings");
        if (StartArray(json, spec.Warnings))
        {
            foreach (var warning in spec.Warnings)
            {
                if (warning is null)
                {
                    json.WriteNullValue();
                    continue;
                }
                json.WriteStartObject();
                json.WriteString("code", warning.Code);
                json.WriteString("message", warning.Message);
                json.WriteNumber("line", warning.Line);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        json.WriteEndObject();
    }

    private static void Evidence(Utf8JsonWriter json, IReadOnlyList<UnderstoodEvidence>? evidence)
    {
        if (!StartArray(json, evidence))
        {
            return;
        }
        foreach (var each in evidence!)
        {
            if (each is null)
            {
                json.WriteNullValue();
                continue;
            }
            json.WriteStartObject();
            json.WriteString("value", each.Value);
            json.WriteString("kind", each.Kind);
            json.WriteString("text", each.Text);
            json.WriteNumber("line", each.Line);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static void Strings(Utf8JsonWriter json, IReadOnlyList<string>? values)
    {
        if (!StartArray(json, values))
        {
            return;
        }
        foreach (var value in values!)
        {
            json.WriteStringValue(value);
        }
        json.WriteEndArray();
    }

    /// <summary>Starts an array, or writes <c>null</c> (and returns <c>false</c>) for a missing list.</summary>
    private static bool StartArray(Utf8JsonWriter json, object? list)
    {
        if (list is null)
        {
            json.WriteNullValue();
            return false;
        }
        json.WriteStartArray();
        return true;
    }

    private static void Number(Utf8JsonWriter json, string name, int? value)
    {
        if (value is { } number)
        {
            json.WriteNumber(name, number);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    /// <summary>An enum value as the serializer's snake_case string converter writes it: its name, or its number when it
    /// has none.</summary>
    private static void EnumValue(Utf8JsonWriter json, string? name, int value)
    {
        if (name is null)
        {
            json.WriteNumberValue(value);
        }
        else
        {
            json.WriteStringValue(name);
        }
    }
}
