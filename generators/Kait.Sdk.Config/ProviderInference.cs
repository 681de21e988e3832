using System;
using System.Collections.Generic;

namespace Kait.Sdk.Config;

/// <summary>Tells a deployment's provider from <c>litellm_params.model</c>, the way LiteLLM does.</summary>
internal static class ProviderInference
{
    private static readonly HashSet<string> KnownProviders = new HashSet<string>(StringComparer.Ordinal)
    {
        "openai", "azure", "azure_ai", "azure_text", "anthropic", "anthropic_text", "bedrock", "sagemaker", "sagemaker_chat",
        "vertex_ai", "vertex_ai_beta", "gemini", "groq", "mistral", "codestral", "text-completion-codestral", "cohere", "cohere_chat",
        "fireworks_ai", "ollama", "ollama_chat", "openrouter", "huggingface", "text-completion-openai", "together_ai", "deepseek",
        "xai", "perplexity", "replicate", "databricks", "watsonx", "watsonx_text", "cerebras", "hosted_vllm", "vllm", "litellm_proxy",
        "custom_openai", "deepinfra", "anyscale", "nvidia_nim", "voyage", "jina_ai", "dashscope", "moonshot", "lm_studio",
        "friendliai", "predibase", "cloudflare", "ai21", "ai21_chat", "nlp_cloud", "aleph_alpha", "petals", "palm", "clarifai",
        "triton", "github", "github_copilot", "sambanova", "nebius", "novita", "featherless_ai", "hyperbolic", "infinity",
        "llamafile", "lambda_ai", "volcengine", "openai_like", "dall-e", "bytez", "oci", "snowflake", "meta_llama", "heroku",
    };

    /// <summary>Splits <paramref name="model"/> into provider and provider model. The provider is null when the config
    /// alone cannot tell it (LiteLLM would look the bare name up in its price map).</summary>
    public static (string? Provider, string ProviderModel) Infer(string model)
    {
        model = (model ?? string.Empty).Trim();
        var slash = model.IndexOf('/');
        if (slash > 0)
        {
            var prefix = model.Substring(0, slash);
            if (KnownProviders.Contains(prefix))
            {
                return (prefix, model.Substring(slash + 1));
            }
        }

        return (InferFromBareName(model), model);
    }

    private static string? InferFromBareName(string model)
    {
        var m = model.ToLowerInvariant();
        if (m.StartsWith("claude", StringComparison.Ordinal))
        {
            return "anthropic";
        }

        if (m.StartsWith("gpt-", StringComparison.Ordinal) || m.StartsWith("chatgpt", StringComparison.Ordinal)
            || m.StartsWith("o1", StringComparison.Ordinal) || m.StartsWith("o3", StringComparison.Ordinal)
            || m.StartsWith("o4", StringComparison.Ordinal) || m.StartsWith("text-embedding-", StringComparison.Ordinal)
            || m.StartsWith("text-davinci", StringComparison.Ordinal) || m.StartsWith("davinci", StringComparison.Ordinal)
            || m.StartsWith("babbage", StringComparison.Ordinal) || m.StartsWith("dall-e", StringComparison.Ordinal)
            || m.StartsWith("whisper", StringComparison.Ordinal) || m.StartsWith("tts-", StringComparison.Ordinal)
            || m.StartsWith("omni-moderation", StringComparison.Ordinal) || m.StartsWith("text-moderation", StringComparison.Ordinal))
        {
            return "openai";
        }

        if (m.StartsWith("gemini-", StringComparison.Ordinal))
        {
            return "vertex_ai";
        }

        if (m.StartsWith("command", StringComparison.Ordinal))
        {
            return "cohere_chat";
        }

        if (m.StartsWith("mistral-", StringComparison.Ordinal) || m.StartsWith("open-mistral", StringComparison.Ordinal)
            || m.StartsWith("codestral", StringComparison.Ordinal))
        {
            return "mistral";
        }

        return null;
    }
}
