"""Function calling: let the model pick a tool, run it, send the result back."""

import json
import os

from huggingface_hub import InferenceClient

client = InferenceClient(base_url=os.environ["SERVER_URL"])

tools = [
    {
        "type": "function",
        "function": {
            "name": "get_current_weather",
            "description": "Get the current weather",
            "parameters": {
                "type": "object",
                "properties": {
                    "location": {"type": "string", "description": "The city and state"},
                    "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
                },
                "required": ["location", "unit"],
            },
        },
    }
]
messages = [
    {"role": "system", "content": "Don't make assumptions about values."},
    {"role": "user", "content": "What's the weather like in Paris?"},
]

response = client.chat_completion(messages, tools=tools, tool_choice="auto", max_tokens=500)
message = response.choices[0].message
print("finish_reason:", response.choices[0].finish_reason)
print("content:", message.content)
call = message.tool_calls[0]
print("tool call:", call.id, call.type, call.function.name)
print("arguments:", json.dumps(call.function.arguments, sort_keys=True))
print("types:", type(message).__name__, type(call).__name__, type(call.function).__name__)

weather = {"temperature": 22, "unit": "celsius"}
messages.append({"role": "assistant", "tool_calls": [call], "content": None})
messages.append(
    {
        "role": "tool",
        "tool_call_id": call.id,
        "name": call.function.name,
        "content": json.dumps(weather),
    }
)
final = client.chat_completion(messages, tools=tools, max_tokens=500)
print("final:", final.choices[0].message.content)
