using System.Text;
using System.Text.Json;

namespace StructuralChunking.Onnx.Internal;

/// <summary>
/// Reads a Hugging Face <c>tokenizer.json</c> into one of our tokenizers: a <c>WordPiece</c> model becomes a
/// <see cref="BertCodeTokenizer"/>, a byte-level <c>BPE</c> model a <see cref="ByteLevelBpeTokenizer"/>.
/// </summary>
/// <remarks>
/// Only what changes token ids is read: the vocabulary, merges, lower-casing, the byte-level prefix space, and the
/// special tokens the post-processor wraps a single text in. Other models (Unigram, SentencePiece-style BPE) are
/// refused with a message rather than tokenized wrongly.
/// </remarks>
internal static class TokenizerJsonFile
{
    public static IModelTokenizer Load(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var document = JsonDocument.Parse(stream, new JsonDocumentOptions { AllowTrailingCommas = true });
            var root = document.RootElement;
            if (!root.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{path} has no \"model\" object; it is not a tokenizer.json file.");
            }

            var type = model.TryGetProperty("type", out var typeElement) ? typeElement.GetString() : null;
            return type switch
            {
                "WordPiece" => LoadWordPiece(path, root, model),
                "BPE" => LoadBytePairs(path, root, model),
                _ => throw new NotSupportedException(
                    $"{path} describes a '{type ?? "untyped"}' tokenizer; supported are WordPiece and byte-level BPE (RoBERTa-style)."),
            };
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not valid JSON: {e.Message}", e);
        }
    }

    private static BertCodeTokenizer LoadWordPiece(string path, JsonElement root, JsonElement model)
    {
        var vocabulary = ReadVocabulary(path, model);

        // BertTokenizer reads vocab.txt, where the line number is the id: rebuild it, which needs ids 0..n-1.
        var tokens = new string[vocabulary.Count];
        foreach (var (token, id) in vocabulary)
        {
            if (id < 0 || id >= tokens.Length || tokens[id] is not null)
            {
                throw new InvalidDataException($"{path}: WordPiece ids must run from 0 to {tokens.Length - 1} without gaps ('{token}' has {id}).");
            }

            tokens[id] = token;
        }

        var lowerCase = root.TryGetProperty("normalizer", out var normalizer) && FindLowerCase(normalizer);
        using var text = new MemoryStream(Encoding.UTF8.GetBytes(string.Join('\n', tokens) + "\n"));
        return BertCodeTokenizer.FromVocabulary(text, lowerCase);
    }

    private static ByteLevelBpeTokenizer LoadBytePairs(string path, JsonElement root, JsonElement model)
    {
        var byteLevel = FindByteLevel(root, "pre_tokenizer") ?? FindByteLevel(root, "decoder");
        if (byteLevel is null)
        {
            throw new NotSupportedException(
                $"{path} describes a BPE tokenizer that is not byte-level (no ByteLevel pre-tokenizer or decoder); only byte-level BPE (RoBERTa-style) is supported.");
        }

        var addPrefixSpace = byteLevel.Value.TryGetProperty("add_prefix_space", out var prefix) && prefix.ValueKind == JsonValueKind.True;
        var vocabulary = ReadVocabulary(path, model);
        var merges = new List<string>();
        if (model.TryGetProperty("merges", out var mergeArray) && mergeArray.ValueKind == JsonValueKind.Array)
        {
            foreach (var merge in mergeArray.EnumerateArray())
            {
                // Older files write "a b", newer ones ["a", "b"].
                merges.Add(merge.ValueKind == JsonValueKind.Array
                    ? string.Join(' ', merge.EnumerateArray().Select(part => part.GetString()))
                    : merge.GetString() ?? throw new InvalidDataException($"{path}: a merge is null."));
            }
        }

        var (start, end) = ReadWrapping(root);
        var padding = root.TryGetProperty("padding", out var paddingElement) && paddingElement.ValueKind == JsonValueKind.Object
            && paddingElement.TryGetProperty("pad_token", out var padToken) && padToken.GetString() is { Length: > 0 } pad
            ? pad
            : ByteLevelBpeTokenizer.DefaultPaddingToken;
        return ByteLevelBpeTokenizer.Create(
            vocabulary, merges, start ?? ByteLevelBpeTokenizer.DefaultStartToken, end ?? ByteLevelBpeTokenizer.DefaultEndToken, padding, addPrefixSpace, path);
    }

    private static Dictionary<string, int> ReadVocabulary(string path, JsonElement model)
    {
        if (!model.TryGetProperty("vocab", out var vocab) || vocab.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{path}: the model has no \"vocab\" object.");
        }

        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in vocab.EnumerateObject())
        {
            vocabulary[entry.Name] = entry.Value.GetInt32();
        }

        return vocabulary;
    }

    // The tokens a single text is wrapped in: RobertaProcessing/BertProcessing name them; TemplateProcessing lists them
    // around the sequence "A".
    private static (string? Start, string? End) ReadWrapping(JsonElement root)
    {
        return root.TryGetProperty("post_processor", out var processor) && processor.ValueKind == JsonValueKind.Object
            ? ReadWrappingOf(processor)
            : (null, null);
    }

    private static (string? Start, string? End) ReadWrappingOf(JsonElement processor)
    {
        var type = processor.TryGetProperty("type", out var typeElement) ? typeElement.GetString() : null;
        switch (type)
        {
            case "RobertaProcessing" or "BertProcessing":
                return (FirstOfPair(processor, "cls"), FirstOfPair(processor, "sep"));
            case "TemplateProcessing" when processor.TryGetProperty("single", out var single) && single.ValueKind == JsonValueKind.Array:
                string? start = null, end = null;
                var seenSequence = false;
                foreach (var piece in single.EnumerateArray())
                {
                    if (piece.TryGetProperty("Sequence", out _))
                    {
                        seenSequence = true;
                    }
                    else if (piece.TryGetProperty("SpecialToken", out var special) && special.TryGetProperty("id", out var id))
                    {
                        if (seenSequence)
                        {
                            end ??= id.GetString();
                        }
                        else
                        {
                            start ??= id.GetString();
                        }
                    }
                }

                return (start, end);
            case "Sequence" when processor.TryGetProperty("processors", out var processors) && processors.ValueKind == JsonValueKind.Array:
                foreach (var inner in processors.EnumerateArray())
                {
                    var wrapping = inner.ValueKind == JsonValueKind.Object ? ReadWrappingOf(inner) : (null, null);
                    if (wrapping.Start is not null || wrapping.End is not null)
                    {
                        return wrapping;
                    }
                }

                return (null, null);
            default:
                return (null, null);
        }
    }

    private static string? FirstOfPair(JsonElement processor, string name) =>
        processor.TryGetProperty(name, out var pair) && pair.ValueKind == JsonValueKind.Array && pair.GetArrayLength() > 0
            ? pair[0].GetString()
            : null;

    private static JsonElement? FindByteLevel(JsonElement root, string property)
    {
        if (!root.TryGetProperty(property, out var element) || element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        return FindOfType(element, "ByteLevel", "pretokenizers", "decoders");
    }

    private static bool FindLowerCase(JsonElement normalizer)
    {
        if (normalizer.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        if (FindOfType(normalizer, "BertNormalizer", "normalizers") is { } bert)
        {
            // The BertNormalizer's lowercase defaults to true.
            return !bert.TryGetProperty("lowercase", out var lowercase) || lowercase.ValueKind != JsonValueKind.False;
        }

        return FindOfType(normalizer, "Lowercase", "normalizers") is not null;
    }

    // The element of `type` itself, or inside a "Sequence" of them.
    private static JsonElement? FindOfType(JsonElement element, string type, params string[] sequenceProperties)
    {
        var elementType = element.TryGetProperty("type", out var typeElement) ? typeElement.GetString() : null;
        if (elementType == type)
        {
            return element;
        }

        if (elementType != "Sequence")
        {
            return null;
        }

        foreach (var property in sequenceProperties)
        {
            if (element.TryGetProperty(property, out var items) && items.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in items.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.Object && FindOfType(item, type, sequenceProperties) is { } found)
                    {
                        return found;
                    }
                }
            }
        }

        return null;
    }
}
