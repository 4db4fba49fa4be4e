# Fails when what is shipped beside the executable disagrees with it: the manual page must
# document every option of `qtchat --help` and no other, and the manual page, the AppStream
# metainfo's newest release and the Debian changelog's newest entry must name its version.
#   cmake -DQTCHAT=path/to/qtchat -DRESOURCES=path/to/resources -P check-metadata.cmake

function(run_qtchat option out)
    execute_process(COMMAND ${QTCHAT} ${option} OUTPUT_VARIABLE output RESULT_VARIABLE status)
    if(NOT status EQUAL 0)
        message(FATAL_ERROR "qtchat ${option} failed: ${status}")
    endif()
    set(${out} "${output}" PARENT_SCOPE)
endfunction()

function(long_options text out)
    string(REGEX MATCHALL "--[a-z][a-z-]*" options "${text}")
    list(REMOVE_DUPLICATES options)
    list(SORT options)
    set(${out} "${options}" PARENT_SCOPE)
endfunction()

function(expect_same what expected actual)
    set(missing ${expected})
    list(REMOVE_ITEM missing ${actual})
    set(extra ${actual})
    list(REMOVE_ITEM extra ${expected})
    if(missing OR extra)
        message(SEND_ERROR "${what}: missing [${missing}], not in qtchat [${extra}]")
    endif()
endfunction()

run_qtchat(--help help)
run_qtchat(--version version_line)
string(REGEX MATCH "[0-9]+\\.[0-9]+\\.[0-9]+" version "${version_line}")
if(NOT version)
    message(FATAL_ERROR "no version in qtchat --version: ${version_line}")
endif()

file(READ ${RESOURCES}/qtchat.1 page)
string(REPLACE "\\-" "-" page "${page}") # roff's minus sign
long_options("${help}" help_options)
long_options("${page}" page_options)
expect_same("qtchat.1's options" "${help_options}" "${page_options}")

string(REGEX MATCH "\n\\.TH [^\n]*\"QtChat ([^\"]*)\"" _ "${page}")
expect_same("qtchat.1's version (.TH)" "${version}" "${CMAKE_MATCH_1}")

file(READ ${RESOURCES}/io.github.qtchat.QtChat.metainfo.xml metainfo)
string(REGEX MATCH "<release version=\"([^\"]*)\"" _ "${metainfo}")
expect_same("the metainfo's newest release" "${version}" "${CMAKE_MATCH_1}")

file(STRINGS ${RESOURCES}/debian/changelog changelog_top LIMIT_COUNT 1)
string(REGEX MATCH "^qtchat \\(([^)]*)\\)" _ "${changelog_top}")
expect_same("the Debian changelog's newest entry" "${version}" "${CMAKE_MATCH_1}")
