namespace StructuralChunking.Onnx;

/// <summary>How token vectors become one text vector. Each model is trained with one; using another degrades it.</summary>
public enum EmbeddingPooling
{
    /// <summary>The mean of the token vectors, padding excluded (sentence-transformers' default; all-MiniLM-L6-v2).</summary>
    Mean,

    /// <summary>The vector of the first token, <c>[CLS]</c> (snowflake-arctic-embed, BGE).</summary>
    Cls,
}
