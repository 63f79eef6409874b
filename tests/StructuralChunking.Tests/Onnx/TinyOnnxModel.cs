using System.Text;

namespace StructuralChunking.Tests.Onnx;

/// <summary>
/// Writes tiny ONNX "encoders" whose output is known exactly, so pooling, padding and input handling can be checked to
/// the last bit: token vector = token id × [1, 2, 3, 4]. The protobuf is written by hand (ONNX's schema, field numbers
/// from onnx.proto) because the test project has no ONNX library.
/// </summary>
internal static class TinyOnnxModel
{
    public const int Dimensions = 4;

    // Token ids in the vocabulary written by WriteFolder.
    public const int Cls = 2;
    public const int Sep = 3;

    private const int Int32Type = 6;
    private const int Int64Type = 7;
    private const int FloatType = 1;

    /// <summary>Vocabulary: [PAD] [UNK] [CLS] [SEP] [MASK] then a–j with ids 5–14, then ##s (15).</summary>
    public static readonly string[] Vocabulary =
        ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "##s"];

    /// <summary>Writes model.onnx and vocab.txt into a new temporary folder and returns it.</summary>
    public static string WriteFolder(string name, bool withAttentionMask = true, bool withTokenTypeIds = false, bool int32Inputs = false, string? extraInput = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "structchunk-tests", name + "-" + Guid.NewGuid().ToString("N")[..8], name);
        Directory.CreateDirectory(folder);
        File.WriteAllLines(Path.Combine(folder, "vocab.txt"), Vocabulary);
        File.WriteAllBytes(Path.Combine(folder, "model.onnx"), Build(withAttentionMask, withTokenTypeIds, int32Inputs, extraInput));
        return folder;
    }

    /// <summary>The exact mean-pooled (not normalized) vector for a token id sequence.</summary>
    public static float[] Mean(params int[] ids)
    {
        var mean = (float)ids.Average();
        return [mean, 2 * mean, 3 * mean, 4 * mean];
    }

    private static byte[] Build(bool withAttentionMask, bool withTokenTypeIds, bool int32Inputs, string? extraInput)
    {
        var inputType = int32Inputs ? Int32Type : Int64Type;
        var graph = new Proto();

        // Cast(input_ids → float) → Unsqueeze(axes=[2]) → Mul(scale [4]) gives [batch, tokens, 4].
        graph.Message(1, Node("cast", "Cast", ["input_ids"], ["ids_float"], new Proto().String(1, "to").Varint(3, FloatType).Varint(20, 2)));
        graph.Message(1, Node("unsqueeze", "Unsqueeze", ["ids_float"], ["ids_3d"], new Proto().String(1, "axes").Varint(8, 2).Varint(20, 7)));
        graph.Message(1, Node("scale", "Mul", ["ids_3d", "scale"], ["last_hidden_state"], null));
        graph.String(2, "tiny");
        var scale = new Proto().Varint(1, Dimensions).Varint(2, FloatType).String(8, "scale");
        var floats = new Proto();
        foreach (var value in new[] { 1f, 2f, 3f, 4f })
        {
            floats.Fixed32(value);
        }

        scale.Bytes(4, floats.ToArray());
        graph.Message(5, scale);
        graph.Message(11, ValueInfo("input_ids", inputType, ["batch", "tokens"]));
        if (withAttentionMask)
        {
            graph.Message(11, ValueInfo("attention_mask", inputType, ["batch", "tokens"]));
        }

        if (withTokenTypeIds)
        {
            graph.Message(11, ValueInfo("token_type_ids", inputType, ["batch", "tokens"]));
        }

        if (extraInput is not null)
        {
            graph.Message(11, ValueInfo(extraInput, inputType, ["batch", "tokens"]));
        }

        graph.Message(12, ValueInfo("last_hidden_state", FloatType, ["batch", "tokens", Dimensions.ToString(System.Globalization.CultureInfo.InvariantCulture)]));

        var model = new Proto().Varint(1, 7).String(2, "structchunk-tests");
        model.Message(7, graph);
        model.Message(8, new Proto().String(1, string.Empty).Varint(2, 11));
        return model.ToArray();
    }

    private static Proto Node(string name, string op, string[] inputs, string[] outputs, Proto? attribute)
    {
        var node = new Proto();
        foreach (var input in inputs)
        {
            node.String(1, input);
        }

        foreach (var output in outputs)
        {
            node.String(2, output);
        }

        node.String(3, name).String(4, op);
        if (attribute is not null)
        {
            node.Message(5, attribute);
        }

        return node;
    }

    // Dimensions that parse as numbers are fixed; others are symbolic.
    private static Proto ValueInfo(string name, int elementType, string[] dims)
    {
        var shape = new Proto();
        foreach (var dim in dims)
        {
            shape.Message(1, int.TryParse(dim, out var size) ? new Proto().Varint(1, size) : new Proto().String(2, dim));
        }

        var tensor = new Proto().Varint(1, elementType).Message(2, shape);
        return new Proto().String(1, name).Message(2, new Proto().Message(1, tensor));
    }

    private sealed class Proto
    {
        private readonly List<byte> _bytes = [];

        public Proto Varint(int field, long value) => Tag(field, 0).Raw(value);

        public Proto String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

        public Proto Message(int field, Proto message) => Bytes(field, message.ToArray());

        public Proto Bytes(int field, byte[] value)
        {
            Tag(field, 2).Raw(value.Length);
            _bytes.AddRange(value);
            return this;
        }

        public Proto Fixed32(float value)
        {
            _bytes.AddRange(BitConverter.GetBytes(value));
            return this;
        }

        public byte[] ToArray() => [.. _bytes];

        private Proto Tag(int field, int wireType) => Raw(((long)field << 3) | (long)wireType);

        private Proto Raw(long value)
        {
            var v = (ulong)value;
            while (v >= 0x80)
            {
                _bytes.Add((byte)(v | 0x80));
                v >>= 7;
            }

            _bytes.Add((byte)v);
            return this;
        }
    }
}
