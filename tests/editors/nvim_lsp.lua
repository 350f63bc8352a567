-- Neovim's built-in LSP client against `verdict lsp`, headless (run by tests/editors/nvim.sh).
-- Written for Neovim 0.7 (Debian 12): vim.lsp.start_client, buf_attach_client, buf_request_sync.
--
-- Environment: VERDICT_BIN (the binary), RULEBOOK (a copy of a broken rulebook, to edit),
-- BAD_NAME (the misspelt name in it), GOOD_NAME (the declared name completion must offer),
-- EXPECT_LINE / EXPECT_COL (1-based, where `verdict check` puts the error).
--
-- Steps: open the rulebook with verdict lsp attached; wait for the diagnostic and check its
-- range; erase the misspelt tail of the name as a user would, ask for completion there and
-- apply the item for GOOD_NAME; see the diagnostics clear. Any failure exits non-zero.

local env = function(name)
  local v = os.getenv(name)
  if v == nil or v == "" then
    error("missing environment variable " .. name)
  end
  return v
end

local function log(msg)
  io.stdout:write("nvim-lsp: " .. msg .. "\n")
end

local function fail(msg)
  io.stderr:write("nvim-lsp: FAIL: " .. msg .. "\n")
  vim.cmd("cquit 1")
end

local TIMEOUT = tonumber(os.getenv("NVIM_LSP_TIMEOUT_MS") or "20000")

local function run()
  local bin, file = env("VERDICT_BIN"), env("RULEBOOK")
  local bad, good = env("BAD_NAME"), env("GOOD_NAME")
  local expect_line, expect_col = tonumber(env("EXPECT_LINE")) - 1, tonumber(env("EXPECT_COL")) - 1

  vim.cmd("edit " .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()

  -- Every publishDiagnostics for this buffer, in order (then Neovim's own handler).
  local published = {}
  local uri = vim.uri_from_bufnr(bufnr)
  local default_handler = vim.lsp.handlers["textDocument/publishDiagnostics"]
  local server_log = {}

  local client_id = vim.lsp.start_client({
    name = "verdict",
    cmd = { bin, "lsp" },
    root_dir = vim.fn.fnamemodify(file, ":h"),
    handlers = {
      ["textDocument/publishDiagnostics"] = function(err, result, ctx, config)
        if result and result.uri == uri then
          table.insert(published, result.diagnostics)
        end
        return default_handler(err, result, ctx, config)
      end,
      ["window/logMessage"] = function(_, result)
        table.insert(server_log, result.message)
      end,
    },
    on_exit = function(code, signal)
      if code ~= 0 then
        vim.schedule(function()
          fail(("verdict lsp exited with code %s, signal %s"):format(code, signal))
        end)
      end
    end,
  })
  if not client_id then
    return fail("could not start " .. bin .. " lsp")
  end
  if not vim.lsp.buf_attach_client(bufnr, client_id) then
    return fail("could not attach the client to " .. file)
  end
  log("started " .. bin .. " lsp, opened " .. file)

  -- 1. The diagnostic, at the misspelt name.
  local ok = vim.wait(TIMEOUT, function()
    return #published > 0 and #published[#published] > 0
  end, 50)
  if not ok then
    return fail(("no diagnostic within %d ms (got %d publishDiagnostics)"):format(TIMEOUT, #published))
  end
  local diags = published[#published]
  local lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  local found
  for _, d in ipairs(diags) do
    if d.range.start.line == expect_line and d.range.start.character == expect_col then
      found = d
    end
  end
  if not found then
    return fail(("no diagnostic starts at %d:%d (verdict check's place); got %s"):format(
      expect_line + 1, expect_col + 1, vim.inspect(diags)))
  end
  local line_text = lines[expect_line + 1]
  if line_text:sub(expect_col + 1, expect_col + #bad) ~= bad then
    return fail(("line %d column %d is not `%s`: %s"):format(expect_line + 1, expect_col + 1, bad, line_text))
  end
  if found.range["end"].line ~= expect_line or found.range["end"].character ~= expect_col + #bad then
    return fail(("the diagnostic should end after `%s` (%d:%d), ends at %d:%d"):format(
      bad, expect_line + 1, expect_col + #bad + 1, found.range["end"].line + 1, found.range["end"].character + 1))
  end
  if not found.message:find(bad, 1, true) then
    return fail("the diagnostic does not name `" .. bad .. "`: " .. found.message)
  end
  if found.severity ~= nil and found.severity ~= 1 then
    return fail("the diagnostic is not an error: severity " .. tostring(found.severity))
  end
  log(("diagnostic at %d:%d-%d: %s"):format(expect_line + 1, expect_col + 1, expect_col + #bad + 1, found.message))

  -- 2. Erase the misspelt tail, as a user going back to retype: keep the longest common
  --    prefix of the bad and the good name (`order.placed_`), cursor after it.
  local keep = 0
  while keep < #bad and bad:sub(keep + 1, keep + 1) == good:sub(keep + 1, keep + 1) do
    keep = keep + 1
  end
  local prefix = bad:sub(1, keep)
  local col = expect_col + keep
  vim.api.nvim_buf_set_text(bufnr, expect_line, col, expect_line, expect_col + #bad, { "" })
  vim.api.nvim_win_set_cursor(0, { expect_line + 1, col })
  local params = {
    textDocument = { uri = uri },
    position = { line = expect_line, character = col },
    context = { triggerKind = 1 },
  }
  local responses, err = vim.lsp.buf_request_sync(bufnr, "textDocument/completion", params, TIMEOUT)
  if not responses then
    return fail("no completion response: " .. tostring(err))
  end
  local response = responses[client_id]
  if not response or response.err then
    return fail("completion failed: " .. vim.inspect(response))
  end
  local items = response.result or {}
  if items.items then
    items = items.items
  end
  local text_of = function(item)
    if item.textEdit then
      return item.textEdit.newText
    end
    return item.insertText or item.label
  end
  local item
  for _, it in ipairs(items) do
    local t = text_of(it)
    if t == good or t == good:match("[^.]*$") or it.label == good then
      item = it
      break
    end
  end
  if not item then
    local labels = {}
    for _, it in ipairs(items) do
      table.insert(labels, it.label)
    end
    return fail(("completion after `%s` does not offer `%s`; offered: %s"):format(prefix, good, table.concat(labels, ", ")))
  end
  log(("completion after `%s` offers %d items, among them `%s`"):format(prefix, #items, item.label))

  -- 3. Apply the item as a client does: its textEdit, or its text in place of the typed word.
  if item.textEdit then
    local edit = item.textEdit
    if edit.insert then -- InsertReplaceEdit: take the replace range
      edit = { range = edit.replace, newText = edit.newText }
    end
    vim.lsp.util.apply_text_edits({ edit }, bufnr, "utf-16")
  else
    local text = text_of(item)
    local start = col - #prefix -- the whole dotted prefix
    if text:sub(1, #prefix) ~= prefix then
      start = col - #prefix:match("[^.]*$") -- the last segment only
    end
    vim.api.nvim_buf_set_text(bufnr, expect_line, start, expect_line, col, { text })
  end
  if item.additionalTextEdits then
    vim.lsp.util.apply_text_edits(item.additionalTextEdits, bufnr, "utf-16")
  end
  local fixed = vim.api.nvim_buf_get_lines(bufnr, expect_line, expect_line + 1, false)[1]
  local want = line_text:sub(1, expect_col) .. good .. line_text:sub(expect_col + #bad + 1)
  if fixed ~= want then
    return fail(("after the completion the line is `%s`, expected `%s`"):format(fixed, want))
  end
  log("applied: " .. fixed)

  -- 4. The diagnostics clear: a publishDiagnostics after the edit with none for the buffer.
  local before = #published
  ok = vim.wait(TIMEOUT, function()
    return #published > before and #published[#published] == 0
  end, 50)
  if not ok then
    return fail(("the diagnostics did not clear within %d ms; last: %s"):format(TIMEOUT, vim.inspect(published[#published])))
  end
  if #vim.diagnostic.get(bufnr) ~= 0 then
    return fail("Neovim still shows diagnostics: " .. vim.inspect(vim.diagnostic.get(bufnr)))
  end
  log("diagnostics cleared")

  vim.cmd("silent write")
  vim.lsp.stop_client(client_id)
  vim.wait(2000, function()
    return vim.lsp.get_client_by_id(client_id) == nil
  end, 50)
  log("passed")
  vim.cmd("qall!")
end

local ok, err = xpcall(run, debug.traceback)
if not ok then
  fail(tostring(err))
end
