"""punie.agent: the coding agent (PydanticAI) with workspace tools, for `punie ask` and ACP (`punie acp`).

Modules (nothing heavy is imported here):
- models: model specs -> `resolve_model(spec)` (PydanticAI model), `openai_client(spec)` (raw OpenAI client)
- workspace, tools, arguments, walk, backends, policy: the six tools, path confinement, approvals
  (independent of PydanticAI)
- toolset, session, timing: the tools as PydanticAI tools; `AgentSession.run_turn` with history and timing
- ask, console: `punie ask`;  acp_agent, acp_backends, acp_main: `punie acp`;  ide: `punie init`
- asgi: streaming in-process ASGI transport;  scripted: the `test:echo` model (a test hook)
"""
