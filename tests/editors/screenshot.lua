-- Neovim config for the docs screenshot (run by tests/editors/screenshot.sh, inside xterm).
-- Written for Neovim 0.7 (Debian 12): vim.lsp.start_client and buf_attach_client, as in
-- tests/editors/nvim_lsp.lua, but in a real (non-headless) Neovim so the screen can be captured.
--
-- Environment: VERDICT_BIN (the binary), BAD_LINE (1-based line of the misspelt fact),
-- HOVER_LINE / HOVER_COL (1-based line and column of a correctly spelt fact to hover over),
-- TOP_LINE (the line to show at the top of the window), MARKER (a file to write once the
-- diagnostic and the hover float are both on screen: "ok WINDOWID", or "fail MESSAGE").

local marker = os.getenv("MARKER")
local function finish(text)
  local f = io.open(marker, "w")
  f:write(text .. "\n")
  f:close()
end

vim.o.termguicolors = true
vim.cmd("syntax on")
vim.cmd("colorscheme desert")
-- A calm float (desert's is magenta), and no red blocks on the `_` of words in the hover's
-- markdown (Neovim 0.7's markdown syntax marks `goods_and_service` as an error).
vim.cmd("highlight NormalFloat guibg=#202838 guifg=#e8e8e8")
vim.cmd("highlight FloatBorder guibg=#333333 guifg=#8fb0d0")
vim.cmd("highlight link markdownError NormalFloat")
vim.o.number = true
vim.o.signcolumn = "yes"
vim.o.cursorline = true
vim.o.laststatus = 2
vim.o.ruler = true
vim.o.showmode = false
vim.o.shortmess = vim.o.shortmess .. "I"
vim.o.swapfile = false
vim.diagnostic.config({ virtual_text = true, signs = true, underline = true, severity_sort = true })
vim.lsp.handlers["textDocument/hover"] = vim.lsp.with(vim.lsp.handlers.hover, { border = "rounded", max_width = 100 })

local bad_line = tonumber(os.getenv("BAD_LINE"))
local hover_line, hover_col = tonumber(os.getenv("HOVER_LINE")), tonumber(os.getenv("HOVER_COL"))
local top_line = tonumber(os.getenv("TOP_LINE"))

local function float_open()
  for _, win in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_config(win).relative ~= "" then
      return win
    end
  end
  return nil
end

local function start()
  local bufnr = vim.api.nvim_get_current_buf()
  local file = vim.api.nvim_buf_get_name(bufnr)
  local client_id = vim.lsp.start_client({
    name = "verdict",
    cmd = { os.getenv("VERDICT_BIN"), "lsp" },
    root_dir = vim.fn.fnamemodify(file, ":h"),
  })
  if not client_id or not vim.lsp.buf_attach_client(bufnr, client_id) then
    return finish("fail could not start or attach verdict lsp")
  end

  -- The view: TOP_LINE at the top, the cursor on the fact to hover over.
  vim.api.nvim_win_set_cursor(0, { top_line, 0 })
  vim.cmd("normal! zt")
  vim.api.nvim_win_set_cursor(0, { hover_line, hover_col - 1 })

  local timer = vim.loop.new_timer()
  local ticks, hovered, settled = 0, false, 0
  timer:start(200, 100, vim.schedule_wrap(function()
    ticks = ticks + 1
    if ticks > 300 then -- 30 s
      timer:stop()
      return finish(("fail after 30 s: %d diagnostics, hover float open: %s"):format(
        #vim.diagnostic.get(bufnr), tostring(float_open() ~= nil)))
    end
    local on_bad_line = false
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      if d.lnum == bad_line - 1 then
        on_bad_line = true
      end
    end
    if not on_bad_line then
      return
    end
    if not hovered then
      hovered = true
      vim.api.nvim_win_set_cursor(0, { hover_line, hover_col - 1 })
      vim.lsp.buf.hover()
      return
    end
    local float = float_open()
    if not float then
      return
    end
    if settled == 0 then
      -- Wrap the doc between words, and make the float as high as that needs.
      vim.api.nvim_win_set_option(float, "linebreak", true)
      local width, rows = vim.api.nvim_win_get_width(float), 0
      for _, text in ipairs(vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(float), 0, -1, false)) do
        local row = 0
        rows = rows + 1
        for word in text:gmatch("%S+") do
          local need = (row == 0) and #word or row + 1 + #word
          if need > width and row > 0 then
            rows, row = rows + 1, #word
          else
            row = need
          end
        end
      end
      vim.api.nvim_win_set_height(float, rows)
    end
    -- Both shown: let the screen settle for a moment, then tell the script.
    settled = settled + 1
    if settled < 5 then
      return
    end
    timer:stop()
    vim.cmd("redraw!")
    finish("ok " .. (os.getenv("WINDOWID") or ""))
  end))
end

vim.api.nvim_create_autocmd("VimEnter", { once = true, callback = start })
