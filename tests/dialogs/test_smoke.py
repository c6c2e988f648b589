from tests.harness import App


async def test_start_greets(app: App) -> None:
    c = app.client(1001)
    await c.send("/start")
    assert c.last_text() == app.t()("start-greeting")
