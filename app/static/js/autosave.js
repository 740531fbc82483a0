// Autosave for a domain page: each change to a benchmark's answer is saved in
// the background. Progressive enhancement only: without this file the page's
// buttons save everything. Saves for one benchmark are sent one at a time so
// each carries the version the previous one returned.
//
// Messages come from the server in the page's language (the replies, and the
// form's data-message-* attributes for when the server cannot be reached).

const DEBOUNCE_MS = 1200

function statusArea () {
  return document.getElementById('autosave-status')
}

function say (message, isError) {
  const area = statusArea()
  if (!area) return
  area.textContent = message
  area.classList.toggle('govuk-error-message', Boolean(isError))
}

function sayWithLink (message, href, linkText) {
  const area = statusArea()
  if (!area) return
  area.textContent = message + ' '
  const link = document.createElement('a')
  link.className = 'govuk-link'
  link.href = href
  link.textContent = linkText
  area.appendChild(link)
  area.classList.add('govuk-error-message')
}

function collect (block, form) {
  const checked = block.querySelector('input[type=radio]:checked')
  const evidence = block.querySelector('textarea')
  const noEvidence = block.querySelector('input[type=checkbox][name$="-no_evidence_yet"]')
  const cited = block.querySelectorAll('input[type=checkbox][name$="-cites"]:checked')
  return {
    benchmark_id: block.dataset.benchmarkId,
    rating: checked ? checked.value : null,
    evidence: evidence ? evidence.value : '',
    no_evidence_yet: noEvidence ? noEvidence.checked : false,
    evidence_ids: Array.from(cited, (box) => parseInt(box.value, 10)),
    version: parseInt(block.querySelector('[data-version]').value, 10),
    // Whose text this is, should the session have ended (see app/questionnaire/held.py).
    typed_by: form.querySelector('input[name=typed_by]').value
  }
}

function showConflict (block, message, detail) {
  let note = block.querySelector('[data-conflict]')
  if (!note) {
    note = document.createElement('div')
    note.className = 'govuk-warning-text'
    note.setAttribute('data-conflict', '')
    block.insertBefore(note, block.children[1])
  }
  note.textContent = ''
  const text = document.createElement('strong')
  text.className = 'govuk-warning-text__text'
  text.textContent = message + ' ' + detail
  note.appendChild(text)
}

function setup (form) {
  const url = form.dataset.autosaveUrl
  const tokenInput = form.querySelector('input[name=csrf_token]')
  const queues = new Map()
  const messages = form.dataset

  async function send (block) {
    const payload = collect(block, form)
    const response = await fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json',
        'X-CSRFToken': tokenInput.value
      },
      body: JSON.stringify(payload)
    })
    let body = {}
    try { body = await response.json() } catch (e) { body = {} }
    if (body.csrf_token) tokenInput.value = body.csrf_token
    if (response.ok && body.saved) {
      block.querySelector('[data-version]').value = body.version
      const last = block.querySelector('[data-last-changed]')
      if (last && body.last_changed) last.textContent = body.last_changed
      const note = block.querySelector('[data-conflict]')
      if (note) note.remove()
      say(body.saved_message)
      return true
    } else if (response.status === 409 && body.current) {
      block.querySelector('[data-version]').value = body.current.version
      showConflict(block, body.error, body.note)
      say(body.error, true)
    } else if (response.status === 401) {
      sayWithLink(body.error || messages.messageSignedOut, body.sign_in_url || '/sign-in', messages.messageSignIn)
    } else {
      say((body.error || messages.messageNotSaved) + ' ' + messages.messageUseButtons, true)
    }
    return false
  }

  function schedule (block, delay) {
    const id = block.dataset.benchmarkId
    const state = queues.get(id) || { timer: null, chain: Promise.resolve(true) }
    clearTimeout(state.timer)
    state.timer = setTimeout(() => {
      state.timer = null
      state.chain = state.chain.then(() => send(block)).catch(() => {
        say(messages.messageNotSaved + ' ' + messages.messageUseButtons, true)
        return false
      })
    }, delay)
    state.block = block
    queues.set(id, state)
  }

  // Send every change still waiting and wait for every save under way;
  // true when each benchmark's latest change is saved.
  function flush () {
    queues.forEach((state) => {
      if (state.timer !== null) {
        clearTimeout(state.timer)
        state.timer = null
        state.chain = state.chain.then(() => send(state.block)).catch(() => false)
      }
    })
    return Promise.all(Array.from(queues.values(), (state) => state.chain))
      .then((results) => results.every(Boolean))
  }

  // Switching language loads the page again: save what was typed first, so
  // nothing is lost however quickly the link is followed. If a change cannot
  // be saved, stay on the page, where the status says what to do.
  document.querySelectorAll('a[hreflang]').forEach((link) => {
    link.addEventListener('click', (event) => {
      if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return
      event.preventDefault()
      flush().then((saved) => {
        if (saved) window.location.assign(link.href)
      })
    })
  })

  form.querySelectorAll('[data-benchmark-id]').forEach((block) => {
    block.addEventListener('change', () => schedule(block, 0))
    block.addEventListener('input', (event) => {
      if (event.target.tagName === 'TEXTAREA') schedule(block, DEBOUNCE_MS)
    })
  })
}

document.querySelectorAll('form[data-module="app-autosave"]').forEach(setup)
